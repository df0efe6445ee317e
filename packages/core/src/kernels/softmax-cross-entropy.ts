import type { TensorInfo } from '@tensorflow/tfjs-core';
import { simdKernels } from './simd-kernels.js';
import { asWasmBackend, heapOffset, type KernelArgs, wasmKernel } from './wasm-backend.js';

/** Kernel name of the one-pass softmax cross-entropy (wasm, registered with the training kernels). */
export const SoftmaxCrossEntropyKernel = 'TunelabSoftmaxCrossEntropy';

/**
 * Inputs logits float32 [n, c] and labels int32 [n]; outputs the mean loss (float32 []) and
 * its gradient with respect to the logits (float32 [n, c]), from simd/softmax-cross-entropy.as.
 * Throws where the SIMD module cannot load: canRunSimdKernel says so first.
 */
function softmaxCrossEntropyWasm({ inputs, backend: b }: KernelArgs): TensorInfo[] {
  const backend = asWasmBackend(b, SoftmaxCrossEntropyKernel);
  const { logits, labels } = inputs as { logits: TensorInfo; labels: TensorInfo };
  const simd = simdKernels(backend.wasm);
  if (simd === undefined) throw new Error(`${SoftmaxCrossEntropyKernel}: no SIMD kernels`);
  const [n, c] = logits.shape as [number, number];
  const loss = backend.makeOutput([], 'float32');
  const grad = backend.makeOutput([n, c], 'float32');
  simd.softmaxCrossEntropy(
    heapOffset(backend, logits),
    heapOffset(backend, labels),
    heapOffset(backend, loss),
    heapOffset(backend, grad),
    n,
    c,
  );
  return [loss, grad];
}

export const softmaxCrossEntropyConfig = /* @__PURE__ */ wasmKernel(
  SoftmaxCrossEntropyKernel,
  softmaxCrossEntropyWasm as unknown as (args: KernelArgs) => TensorInfo,
);
