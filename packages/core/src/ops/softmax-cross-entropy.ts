import * as tf from '@tensorflow/tfjs-core';
import { canRunSimdKernel } from '../kernels/simd-probe.js';
import { SoftmaxCrossEntropyKernel } from '../kernels/softmax-cross-entropy.js';

/**
 * The mean softmax cross-entropy of logits [n, c] (float32) against class ids [n] (int32) in
 * one registered kernel (wasm: loss and gradient in one pass), or undefined where no such
 * kernel is registered for the backend or the inputs are of another kind: the caller then
 * composes tfjs ops.
 */
export function softmaxCrossEntropyOfIds(
  logits: tf.Tensor,
  labels: tf.Tensor,
): tf.Scalar | undefined {
  if (
    logits.rank !== 2 ||
    logits.dtype !== 'float32' ||
    labels.rank !== 1 ||
    labels.dtype !== 'int32' ||
    !canRunSimdKernel(SoftmaxCrossEntropyKernel)
  )
    return undefined;
  return crossEntropyKernel(logits, labels);
}

/**
 * The mean over class ids in one kernel (wasm: loss and gradient in one pass); the gradient
 * is saved by the forward pass and scaled by dy. The labels are closed over: they get no
 * gradient.
 */
function crossEntropyKernel(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [z, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const [value, grad] = tf
      .engine()
      .runKernel(SoftmaxCrossEntropyKernel, { logits: z, labels }) as tf.Tensor[];
    save([grad!]);
    return {
      value: value as tf.Scalar,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.mul(saved[0]!, dy)],
    };
  });
  return op(logits) as tf.Scalar;
}
