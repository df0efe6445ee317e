import type { TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { simdKernels } from './simd-kernels.js';
import {
  asWasmBackend,
  heapOffset,
  heapView,
  type KernelArgs,
  wasmKernel,
} from './wasm-backend.js';

/** Kernel name of the one-pass relu gradient (registered for wasm by registerWasmTrainingKernels). */
export const ReluGradKernel = 'TunelabReluGrad';

/**
 * dx = dy where y > 0, else 0, for float32 dy and y of one shape, in one SIMD pass
 * (simd/relu-grad.as), or a plain loop over the heap where that cannot load.
 */
function reluGradWasm({ inputs, backend: b }: KernelArgs): TensorInfo {
  const backend = asWasmBackend(b, ReluGradKernel);
  const { dy, y } = inputs as { dy: TensorInfo; y: TensorInfo };
  const out = backend.makeOutput(dy.shape, 'float32');
  const n = tf.util.sizeFromShape(dy.shape);
  const simd = simdKernels(backend.wasm);
  if (simd !== undefined) {
    simd.reluGrad(heapOffset(backend, dy), heapOffset(backend, y), heapOffset(backend, out), n);
    return out;
  }
  const g = heapView(backend, dy);
  const v = heapView(backend, y);
  const dx = heapView(backend, out);
  for (let i = 0; i < n; i++) dx[i] = v[i]! > 0 ? g[i]! : 0;
  return out;
}

export const reluGradConfig = /* @__PURE__ */ wasmKernel(ReluGradKernel, reluGradWasm);

/**
 * The gradient of relu from the upstream gradient `dy` and the relu's input or output `y`:
 * dy * step(y). One kernel where the backend has the TunelabReluGrad kernel (wasm, once the
 * training kernels are registered), tfjs's Multiply(dy, Step(y)) elsewhere. A NaN in `y` gives
 * 0 with the kernel and NaN without it.
 */
export function reluGrad(dy: tf.Tensor, y: tf.Tensor): tf.Tensor {
  if (
    dy.dtype === 'float32' &&
    y.dtype === 'float32' &&
    tf.util.arraysEqual(dy.shape, y.shape) &&
    tf.getKernel(ReluGradKernel, tf.getBackend()) !== undefined
  ) {
    return tf.engine().runKernel(ReluGradKernel, { dy, y }) as tf.Tensor;
  }
  return tf.tidy(() => tf.mul(dy, tf.step(tf.cast(y, 'float32'))));
}

/**
 * Makes tfjs's Relu gradient use {@link reluGrad} (tfjs's own is Multiply(dy, Step(x)): the
 * same values, two kernels). Done when core loads.
 */
export function registerReluGradient(): void {
  tf.registerGradient({
    kernelName: tf.Relu,
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => ({ x: () => reluGrad(dy as tf.Tensor, saved[0]!) }),
  });
}
