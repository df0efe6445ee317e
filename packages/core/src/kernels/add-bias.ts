import type { TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import type { KernelOverride } from './override.js';
import { simdKernels } from './simd-kernels.js';
import { asWasmBackend, heapOffset } from './wasm-backend.js';

/**
 * Adding a bias vector to a float32 tensor along its last axis - every conv and dense layer's
 * bias, which tfjs records as Add under gradient recording - in one SIMD pass
 * (simd/add-bias.as):
 *
 *   out[..., c] = x[..., c] + bias[c]
 *
 * tfjs-backend-wasm's Add handles broadcasting element by element. Any other Add goes to it.
 */
export const addBiasOverride: KernelOverride = {
  kernelName: tf.Add,
  kernelFunc(args, original): TensorInfo {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const [x, bias] = isBiasOf(b, a) ? [a, b] : isBiasOf(a, b) ? [b, a] : [];
    const backend = asWasmBackend(args.backend, tf.Add);
    const simd = simdKernels(backend.wasm);
    if (x === undefined || bias === undefined || simd === undefined) return original(args);
    const cols = tf.util.sizeFromShape(bias.shape);
    const out = backend.makeOutput(x.shape, 'float32');
    const rows = tf.util.sizeFromShape(x.shape) / cols;
    simd.addBias(
      heapOffset(backend, x),
      heapOffset(backend, bias),
      heapOffset(backend, out),
      rows,
      cols,
    );
    return out;
  },
};

/** True when `bias` is float32 [C] (or [1, ..., 1, C]) and `x` a larger float32 [..., C]. */
function isBiasOf(bias: TensorInfo, x: TensorInfo): boolean {
  const c = bias.shape[bias.shape.length - 1];
  return (
    bias.dtype === 'float32' &&
    x.dtype === 'float32' &&
    c !== undefined &&
    bias.shape.length <= x.shape.length &&
    bias.shape.slice(0, -1).every((d) => d === 1) &&
    x.shape[x.shape.length - 1] === c &&
    tf.util.sizeFromShape(x.shape) > c
  );
}
