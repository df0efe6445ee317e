import type { TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import type { KernelOverride, OriginalKernel } from './override.js';
import { simdKernels } from './simd-kernels.js';
import { asWasmBackend, heapOffset, type KernelArgs } from './wasm-backend.js';

/**
 * Sum or mean of a float32 tensor over a block of consecutive axes that are not the innermost
 * ones, in one pass by our SIMD kernel (simd/sum-rows.as); x viewed as [outer, rows, cols]:
 *
 *   out[o, c] = scale * sum over r of x[o, r, c],   scale 1 (Sum) or 1 / rows (Mean)
 *
 * These are the bias gradients (dy [N, H, W, C] summed over N, H, W), global average pooling
 * (mean over H, W) and batch-norm statistics. tfjs-backend-wasm first transposes the reduced
 * axes to the end, a full copy of x. Every other reduction goes to its kernel.
 */
function reduceOverAxes(args: KernelArgs, original: OriginalKernel, mean: boolean): TensorInfo {
  const { x } = args.inputs as { x: TensorInfo };
  const { axis, keepDims } = args.attrs as unknown as tf.SumAttrs;
  const axes = tf.util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
  const first = axes[0] ?? 0;
  const last = axes[axes.length - 1] ?? -1;
  const consecutive = axes.every((a, i) => a === first + i);
  const backend = asWasmBackend(args.backend, mean ? tf.Mean : tf.Sum);
  const simd = simdKernels(backend.wasm);
  if (
    axes.length === 0 ||
    !consecutive ||
    last >= x.shape.length - 1 ||
    x.dtype !== 'float32' ||
    simd === undefined
  ) {
    return original(args);
  }
  const size = (from: number, to?: number) => tf.util.sizeFromShape(x.shape.slice(from, to));
  const [outer, rows, cols] = [size(0, first), size(first, last + 1), size(last + 1)];
  const shape = x.shape.flatMap((d, i) => (!axes.includes(i) ? [d] : keepDims ? [1] : []));
  const out = backend.makeOutput(shape, 'float32');
  const scale = mean ? 1 / rows : 1;
  simd.sumRows(heapOffset(backend, x), heapOffset(backend, out), outer, rows, cols, scale);
  return out;
}

export const sumOverride: KernelOverride = {
  kernelName: tf.Sum,
  kernelFunc: (args, original) => reduceOverAxes(args, original, false),
};

export const meanOverride: KernelOverride = {
  kernelName: tf.Mean,
  kernelFunc: (args, original) => reduceOverAxes(args, original, true),
};
