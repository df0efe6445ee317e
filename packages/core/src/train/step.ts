import * as tf from '@tensorflow/tfjs-core';
import type { Batch } from '../data/dataset.js';
import type { Module } from '../module/module.js';
import { gradientsOfVariables } from '../ops/fused.js';
import { denseChainStep } from './dense-step.js';
import { type LossFn, softmaxCrossEntropy } from './loss.js';

/** What one training step computed: the batch's loss, the model's outputs and the gradients. */
export interface StepResult {
  /** The mean loss over the batch. */
  value: tf.Scalar;
  /** The model's outputs for the batch. */
  outputs: tf.Tensor;
  /** Gradients by variable name. */
  grads: tf.NamedTensorMap;
}

/** The parameters a step differentiates, fixed for an epoch (freezing may change between epochs). */
export interface TrainableSet {
  /** The trainable parameters' variables, in model.parameters() order. */
  readonly variables: tf.Variable[];
  /** Index into model.parameters() by variable name (replicas name gradients by index). */
  readonly indexOf: ReadonlyMap<string, number>;
}

/**
 * How fit computes a batch's loss and gradients: on this thread ({@link localStep}), or split
 * over replica threads (dataParallelStep). The caller owns the returned tensors.
 */
export type TrainingStep = (
  batch: Batch,
  trainable: TrainableSet,
) => StepResult | Promise<StepResult>;

/**
 * Forward and backward on this thread for inputs `x` and labels `y`: one kernel for a chain
 * of dense layers under softmax cross-entropy where the backend has it (denseChainStep), else
 * the model's ops differentiated by tfjs.
 */
export function forwardBackward(
  model: Module,
  variables: tf.Variable[],
  loss: LossFn,
  x: tf.Tensor,
  y: tf.Tensor,
): StepResult {
  const fused = loss === softmaxCrossEntropy ? denseChainStep(model, variables, x, y) : undefined;
  if (fused) return fused;
  let outputs: tf.Tensor | undefined;
  const { value, grads } = gradientsOfVariables(() =>
    tf.variableGrads(() => {
      const out = model.forward(x);
      outputs = tf.keep(out);
      return loss(out, y);
    }, variables),
  );
  return { value, outputs: outputs!, grads };
}

/** The whole batch on this thread. */
export function localStep(model: Module, loss: LossFn): TrainingStep {
  return (batch, { variables }) => forwardBackward(model, variables, loss, batch.x, batch.y);
}
