import type { TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { simdKernels } from './simd-kernels.js';
import {
  asWasmBackend,
  dispose,
  heapOffset,
  heapView,
  type KernelArgs,
  wasmKernel,
} from './wasm-backend.js';

/** Kernel name of batch norm's training forward pass (wasm, registered with the training kernels). */
export const BatchNormTrainKernel = 'TunelabBatchNormTrain';
/** Kernel name of its backward pass. */
export const BatchNormGradKernel = 'TunelabBatchNormGrad';

/** Attributes of both kernels. */
export interface BatchNormAttrs {
  /** Added to the variance before the square root. */
  epsilon: number;
  /** 1 when relu follows the normalisation (fused), else 0. */
  relu: number;
}

/** Rows and channels of x [..., c] read as [rows, c]. */
const matrix = (x: TensorInfo): [number, number] => {
  const c = x.shape[x.shape.length - 1]!;
  return [tf.util.sizeFromShape(x.shape) / c, c];
};

/**
 * Inputs x [..., c], gamma [c], beta [c]; outputs y = relu?(gamma (x - mean) / sqrt(var + eps)
 * + beta), the batch's per-channel mean [c] and biased variance [c] (simd/batch-norm.as: three
 * passes over x).
 */
function batchNormTrainWasm({ inputs, backend: b, attrs }: KernelArgs): TensorInfo[] {
  const backend = asWasmBackend(b, BatchNormTrainKernel);
  const simd = simdKernels(backend.wasm);
  if (simd === undefined) throw new Error(`${BatchNormTrainKernel}: no SIMD kernels`);
  const { x, gamma, beta } = inputs as Record<string, TensorInfo>;
  const { epsilon, relu } = attrs as unknown as BatchNormAttrs;
  const [rows, c] = matrix(x!);
  const y = backend.makeOutput(x!.shape, 'float32');
  const mean = backend.makeOutput([c], 'float32');
  const variance = backend.makeOutput([c], 'float32');
  const scale = backend.makeOutput([c], 'float32');
  const shift = backend.makeOutput([c], 'float32');
  const at = (t: TensorInfo) => heapOffset(backend, t);
  simd.batchNormStats(at(x!), at(mean), at(variance), rows, c);
  const [m, v, g, be, s, sh] = [mean, variance, gamma!, beta!, scale, shift].map((t) =>
    heapView(backend, t),
  ) as Float32Array[];
  for (let j = 0; j < c; j++) {
    s![j] = g![j]! / Math.sqrt(v![j]! + epsilon);
    sh![j] = be![j]! - m![j]! * s![j]!;
  }
  simd.batchNormApply(at(x!), at(scale), at(shift), at(y), rows, c, relu);
  dispose(backend, scale, shift);
  return [y, mean, variance];
}

/**
 * Inputs dy, x, gamma, mean, variance (and y, the forward output, when relu was fused);
 * outputs dx, dgamma, dbeta of the training forward pass above:
 *
 *   s1 = sum dy, s2 = sum dy (x - mean) per channel (dy masked by y > 0 with relu)
 *   dbeta = s1, dgamma = s2 / sd, dx = gamma / sd (dy - s1 / n - (x - mean) s2 / (n sd^2))
 *
 * with sd = sqrt(variance + epsilon), n the rows; dx as a dy + b x + d per channel, one pass.
 */
function batchNormGradWasm({ inputs, backend: b, attrs }: KernelArgs): TensorInfo[] {
  const backend = asWasmBackend(b, BatchNormGradKernel);
  const simd = simdKernels(backend.wasm);
  if (simd === undefined) throw new Error(`${BatchNormGradKernel}: no SIMD kernels`);
  const { dy, x, gamma, mean, variance, y } = inputs as Record<string, TensorInfo>;
  const { epsilon, relu } = attrs as unknown as BatchNormAttrs;
  const [rows, c] = matrix(x!);
  const masked = relu ? backend.makeOutput(x!.shape, 'float32') : null;
  const dx = backend.makeOutput(x!.shape, 'float32');
  const dGamma = backend.makeOutput([c], 'float32');
  const dBeta = backend.makeOutput([c], 'float32');
  const coefficients = backend.makeOutput([3, c], 'float32');
  const at = (t: TensorInfo) => heapOffset(backend, t);
  simd.batchNormGradSums(
    at(dy!),
    at(x!),
    at(mean!),
    relu ? at(y!) : 0,
    masked ? at(masked) : 0,
    at(dBeta),
    at(dGamma),
    rows,
    c,
  );
  const [g, m, v, s1, s2, k] = [gamma!, mean!, variance!, dBeta, dGamma, coefficients].map((t) =>
    heapView(backend, t),
  ) as Float32Array[];
  for (let j = 0; j < c; j++) {
    const inverse = 1 / Math.sqrt(v![j]! + epsilon);
    const a = g![j]! * inverse;
    const slope = (-a * inverse * inverse * s2![j]!) / rows;
    k![j] = a;
    k![c + j] = slope;
    k![2 * c + j] = (-a * s1![j]!) / rows - slope * m![j]!;
    s2![j] = s2![j]! * inverse;
  }
  const off = at(coefficients);
  simd.batchNormGradApply(
    at(masked ?? dy!),
    at(x!),
    off,
    off + 4 * c,
    off + 8 * c,
    at(dx),
    rows,
    c,
  );
  if (masked) dispose(backend, masked);
  dispose(backend, coefficients);
  return [dx, dGamma, dBeta];
}

export const batchNormTrainConfig = /* @__PURE__ */ wasmKernel(
  BatchNormTrainKernel,
  batchNormTrainWasm as unknown as (args: KernelArgs) => TensorInfo,
);
export const batchNormGradConfig = /* @__PURE__ */ wasmKernel(
  BatchNormGradKernel,
  batchNormGradWasm as unknown as (args: KernelArgs) => TensorInfo,
);
