import type { TensorInfo } from '@tensorflow/tfjs-core';
import { heapView, type WasmBackend } from './wasm-backend.js';

/**
 * The filter rotated by 180 degrees in space, with its last two axes swapped when `swapInOut`:
 *
 *   out[kh, kw, b, a] = W[KH-1-kh, KW-1-kw, a, b]   (swapInOut, for Conv2D's input gradient)
 *   out[kh, kw, a, b] = W[KH-1-kh, KW-1-kw, a, b]   (otherwise, for the depthwise one)
 *
 * A plain loop: filters are small next to the activations.
 */
export function flipFilter(
  backend: WasmBackend,
  filter: TensorInfo,
  swapInOut: boolean,
): TensorInfo {
  const [kh, kw, a, b] = filter.shape as [number, number, number, number];
  const out = backend.makeOutput(swapInOut ? [kh, kw, b, a] : [kh, kw, a, b], 'float32');
  const src = heapView(backend, filter);
  const dst = heapView(backend, out);
  const taps = kh * kw;
  const block = a * b;
  for (let t = 0; t < taps; t++) {
    const from = (taps - 1 - t) * block;
    const to = t * block;
    if (!swapInOut) {
      dst.set(src.subarray(from, from + block), to);
      continue;
    }
    for (let i = 0; i < a; i++) {
      for (let j = 0; j < b; j++) dst[to + j * a + i] = src[from + i * b + j]!;
    }
  }
  return out;
}
