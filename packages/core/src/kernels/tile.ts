import type { TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import type { KernelOverride } from './override.js';
import { asWasmBackend, heapView } from './wasm-backend.js';

/**
 * Tiling a vector into rows - what the batch-norm gradient asks for, tile(rsqrt(var) as
 * [1, 1, 1, C], [N, H, W, 1]) - as doubling block copies (memmove speed):
 *
 *   out[r, c] = x[c]
 *
 * tfjs-backend-wasm's Tile computes a source index per element. Every other tiling goes to it.
 */
export const tileRowsOverride: KernelOverride = {
  kernelName: tf.Tile,
  kernelFunc(args, original): TensorInfo {
    const { x } = args.inputs as { x: TensorInfo };
    const { reps } = args.attrs as unknown as tf.TileAttrs;
    const rank = x.shape.length;
    const vectorLike =
      x.dtype === 'float32' &&
      rank > 0 &&
      reps.length === rank &&
      reps[rank - 1] === 1 &&
      x.shape.slice(0, -1).every((d) => d === 1);
    if (!vectorLike) return original(args);
    const backend = asWasmBackend(args.backend, tf.Tile);
    const out = backend.makeOutput(
      x.shape.map((d, i) => d * reps[i]!),
      'float32',
    );
    const dst = heapView(backend, out);
    const src = heapView(backend, x);
    dst.set(src, 0);
    for (let filled = src.length; filled < dst.length; filled *= 2) {
      dst.copyWithin(filled, 0, Math.min(filled, dst.length - filled));
    }
    return out;
  },
};
