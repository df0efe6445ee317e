import type * as tf from '@tensorflow/tfjs-core';
import type { Module } from '../module/module.js';
import { type DenseStepLayer, denseStep } from '../ops/dense-step.js';
import type { StepResult } from './step.js';

/** A dense chain ready for the kernel: its layers, and what the step's inputs must be. */
interface Plan {
  readonly layers: ReadonlyArray<DenseStepLayer & { weightName: string; biasName: string }>;
  /** No flatten before the first dense layer: the input must already be [batch, features]. */
  readonly needsMatrix: boolean;
  /** Names of the variables whose gradients the step returns. */
  readonly wanted: ReadonlySet<string>;
}

/**
 * Plans by the array of variables fit trains (one per epoch, and per freezing): a step looks
 * its plan up instead of walking the model again (a few microseconds of a 0.2 ms step).
 */
const plans = new WeakMap<readonly tf.Variable[], { model: Module; plan: Plan | null }>();

/** The model's dense chain as kernel layers, or null when it is none or misses a variable. */
function planOf(model: Module, variables: readonly tf.Variable[]): Plan | null {
  const chain = model.denseChain();
  if (!chain) return null;
  const layers: Array<DenseStepLayer & { relu: boolean; weightName: string; biasName: string }> =
    [];
  let flattened = false;
  let needsMatrix = false;
  for (const link of chain) {
    if (link.kind === 'flatten') {
      flattened = true;
      continue;
    }
    if (link.kind === 'relu') {
      // A relu after a dense layer without one (flattens between change nothing) is its activation.
      const last = layers.at(-1);
      if (!last || last.relu) return null;
      last.relu = true;
      continue;
    }
    if (layers.length === 0 && !flattened) needsMatrix = true;
    layers.push({
      weight: link.weight.variable,
      bias: link.bias.variable,
      relu: link.activation === 'relu',
      weightName: link.weight.variable.name,
      biasName: link.bias.variable.name,
    });
  }
  const names = new Set(layers.flatMap((l) => [l.weightName, l.biasName]));
  if (layers.length === 0 || !variables.every((v) => names.has(v.name))) return null;
  return { layers, needsMatrix, wanted: new Set(variables.map((v) => v.name)) };
}

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
  let cached = plans.get(variables);
  if (cached?.model !== model) {
    cached = { model, plan: planOf(model, variables) };
    plans.set(variables, cached);
  }
  const plan = cached.plan;
  if (!plan || (plan.needsMatrix && x.rank !== 2)) return undefined;
  const result = denseStep(x, labels, plan.layers);
  if (!result) return undefined;
  const grads: tf.NamedTensorMap = {};
  const unwanted: tf.Tensor[] = [];
  result.grads.forEach(([dW, dB], i) => {
    const { weightName, biasName } = plan.layers[i]!;
    if (plan.wanted.has(weightName)) grads[weightName] = dW;
    else unwanted.push(dW);
    if (plan.wanted.has(biasName)) grads[biasName] = dB;
    else unwanted.push(dB);
  });
  for (const t of unwanted) t.dispose();
  return { value: result.value, outputs: result.outputs, grads };
}
