import * as tf from '@tensorflow/tfjs-core';
import { CountCorrectKernel } from '../kernels/count-correct.js';
import { canRunSimdKernel } from '../kernels/simd-probe.js';

/**
 * The number of rows of `outputs` [n, c] whose arg-max equals the class id in `labels` [n], as
 * a float32 scalar; undefined where the backend lacks the kernel or the inputs are of another
 * kind (then compose tfjs ops).
 */
export function countCorrect(outputs: tf.Tensor, labels: tf.Tensor): tf.Scalar | undefined {
  if (
    outputs.rank !== 2 ||
    outputs.dtype !== 'float32' ||
    labels.rank !== 1 ||
    labels.dtype !== 'int32' ||
    !canRunSimdKernel(CountCorrectKernel)
  )
    return undefined;
  return tf.engine().runKernel(CountCorrectKernel, { outputs, labels }) as tf.Scalar;
}
