import type * as tf from '@tensorflow/tfjs-core';
import type { Module } from '../module/module.js';
import { type DenseStepLayer, denseStep } from '../ops/dense-step.js';
import type { StepResult } from './step.js';

/**
 * A training step of a model that is a chain of dense layers ({@link Module.denseChain}) under
 * mean softmax cross-entropy, as one kernel: the loss, the logits and the gradients of
 * `variables`. Undefined when the model is not such a chain, when `variables` holds one the
 * chain does not, when the input is not two-dimensional without a flatten first, or where
 * the backend has no such kernel: fit then differentiates the model's ops.
 */
export function denseChainStep(
  model: Module,
  variables: readonly tf.Variable[],
  x: tf.Tensor,
  labels: tf.Tensor,
): StepResult | undefined {
  const chain = model.denseChain();
  if (!chain) return undefined;
  const layers: Array<
    DenseStepLayer & { relu: boolean; closed?: boolean; weightName: string; biasName: string }
  > = [];
  let flattened = x.rank === 2;
  for (const link of chain) {
    if (link.kind === 'flatten') {
      flattened = true;
      continue;
    }
    if (link.kind === 'relu') {
      // A relu right after a dense layer without one is that layer's activation.
      const last = layers.at(-1);
      if (!last || last.relu || last.closed) return undefined;
      last.relu = true;
      continue;
    }
    if (!flattened) return undefined;
    const previous = layers.at(-1);
    if (previous) previous.closed = true;
    layers.push({
      weight: link.weight.variable,
      bias: link.bias.variable,
      relu: link.activation === 'relu',
      weightName: link.weight.variable.name,
      biasName: link.bias.variable.name,
    });
  }
  const names = new Set(layers.flatMap((l) => [l.weightName, l.biasName]));
  if (!variables.every((v) => names.has(v.name))) return undefined;
  const result = denseStep(x, labels, layers);
  if (!result) return undefined;
  const wanted = new Set(variables.map((v) => v.name));
  const grads: tf.NamedTensorMap = {};
  const unwanted: tf.Tensor[] = [];
  result.grads.forEach(([dW, dB], i) => {
    const { weightName, biasName } = layers[i]!;
    if (wanted.has(weightName)) grads[weightName] = dW;
    else unwanted.push(dW);
    if (wanted.has(biasName)) grads[biasName] = dB;
    else unwanted.push(dB);
  });
  for (const t of unwanted) t.dispose();
  return { value: result.value, outputs: result.outputs, grads };
}
