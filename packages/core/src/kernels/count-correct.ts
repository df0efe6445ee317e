import type { TensorInfo } from '@tensorflow/tfjs-core';
import { simdKernels } from './simd-kernels.js';
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

export const countCorrectConfig = /* @__PURE__ */ wasmKernel(CountCorrectKernel, countCorrectWasm);
