import type { TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { canRunSimdKernel, simdKernels } from './simd-kernels.js';
import { asWasmBackend, heapOffset, type KernelArgs, wasmKernel } from './wasm-backend.js';

/** Kernel name of the one-pass correct-prediction count (wasm, registered with the training kernels). */
export const CountCorrectKernel = 'TunelabCountCorrect';

/** outputs float32 [n, c], labels int32 [n] -> float32 []: rows whose first arg-max is the label. */
function countCorrectWasm({ inputs, backend: b }: KernelArgs): TensorInfo {
  const backend = asWasmBackend(b, CountCorrectKernel);
  const { outputs, labels } = inputs as { outputs: TensorInfo; labels: TensorInfo };
  const simd = simdKernels(backend.wasm);
  if (simd === undefined) throw new Error(`${CountCorrectKernel}: no SIMD kernels`);
  const [n, c] = outputs.shape as [number, number];
  const count = backend.makeOutput([], 'float32');
  simd.countCorrect(
    heapOffset(backend, outputs),
    heapOffset(backend, labels),
    heapOffset(backend, count),
    n,
    c,
  );
  return count;
}

export const countCorrectConfig = wasmKernel(CountCorrectKernel, countCorrectWasm);

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
