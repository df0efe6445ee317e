import * as tf from '@tensorflow/tfjs-core';
import { DenseStepKernel, denseInputNames } from '../kernels/dense-step.js';
import { canRunSimdKernel } from '../kernels/simd-probe.js';

/** A dense layer for {@link denseStep}: y = relu?(x W + b). */
export interface DenseStepLayer {
  /** W [inputs, outputs], float32. */
  readonly weight: tf.Tensor;
  /** b [outputs], float32. */
  readonly bias: tf.Tensor;
  /** Whether relu follows the bias. */
  readonly relu: boolean;
}

/** What {@link denseStep} computed. */
export interface DenseStepResult {
  /** Mean softmax cross-entropy over the batch. */
  value: tf.Scalar;
  /** The logits [batch, classes]. */
  outputs: tf.Tensor2D;
  /** d loss / d W and d loss / d b of each layer, in the layers' order. */
  grads: Array<[weight: tf.Tensor, bias: tf.Tensor]>;
}

/**
 * Forward pass, mean softmax cross-entropy against class ids and the gradients of every
 * weight and bias of a chain of dense layers, as one kernel (TunelabDenseStep on wasm), for
 * inputs `x` [batch, ...] (flattened to [batch, features]) and int32 `labels` [batch].
 * Undefined where the backend registers no such kernel or the arguments are of another kind
 * (then the caller differentiates the model's ops as usual). Not recorded on a tape.
 */
export function denseStep(
  x: tf.Tensor,
  labels: tf.Tensor,
  layers: readonly DenseStepLayer[],
): DenseStepResult | undefined {
  if (!fits(x, labels, layers) || !canRunSimdKernel(DenseStepKernel)) return undefined;
  const inputs: tf.NamedTensorMap = { x, labels };
  layers.forEach((layer, i) => {
    const [w, b] = denseInputNames(i);
    inputs[w] = layer.weight;
    inputs[b] = layer.bias;
  });
  const attrs = { relu: layers.map((l) => (l.relu ? 1 : 0)) };
  const [value, outputs, ...grads] = tf
    .engine()
    .runKernel(DenseStepKernel, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
  return {
    value: value as tf.Scalar,
    outputs: outputs as tf.Tensor2D,
    grads: layers.map((_, i) => [grads[2 * i]!, grads[2 * i + 1]!]),
  };
}

/** float32 inputs [n, ...] of the first layer's width, int32 labels [n], a consistent chain. */
function fits(x: tf.Tensor, labels: tf.Tensor, layers: readonly DenseStepLayer[]): boolean {
  const n = x.shape[0];
  if (layers.length === 0 || x.dtype !== 'float32' || x.rank < 2 || !n) return false;
  if (labels.dtype !== 'int32' || labels.rank !== 1 || labels.shape[0] !== n) return false;
  let width = x.size / n;
  for (const { weight, bias } of layers) {
    if (weight.dtype !== 'float32' || bias.dtype !== 'float32') return false;
    if (weight.rank !== 2 || weight.shape[0] !== width || bias.rank !== 1) return false;
    width = weight.shape[1]!;
    if (bias.shape[0] !== width) return false;
  }
  return true;
}
