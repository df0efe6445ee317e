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

/**
 * Gradient of 2-D max pooling (NHWC) on wasm, replacing tfjs-backend-wasm's kernel (about
 * 7 ms per cnn4 pooling layer) with our SIMD kernel (simd/max-pool-grad.as), or this plain
 * loop over the heap where that cannot load:
 *
 *   dx[n, h, w, c] = sum over windows (oh, ow) whose first maximum is x[n, h, w, c] of dy[n, oh, ow, c]
 *
 * "First" in row-major window order with a strict comparison, as the cpu backend picks it.
 */
function maxPoolGrad({ inputs, backend: b, attrs }: KernelArgs): TensorInfo {
  const backend = asWasmBackend(b, tf.MaxPoolGrad);
  const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.MaxPoolGradAttrs;
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const { batchSize, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const { filterHeight: FH, filterWidth: FW, strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;

  const out = backend.makeOutput(input.shape, 'float32');
  const simd = simdKernels(backend.wasm);
  if (simd !== undefined) {
    const geometry = [batchSize, H, W, C, OH, OW, FH, FW, sh, sw, top, left];
    simd.maxPoolGrad(
      heapOffset(backend, input),
      heapOffset(backend, dy),
      heapOffset(backend, out),
      ...geometry,
    );
    return out;
  }
  const x = heapView(backend, input);
  const g = heapView(backend, dy);
  const dx = heapView(backend, out);
  dx.fill(0);
  let o = 0;
  for (let n = 0; n < batchSize; n++) {
    const image = n * H * W * C;
    for (let oh = 0; oh < OH; oh++) {
      const h0 = Math.max(0, oh * sh - top);
      const h1 = Math.min(H, oh * sh - top + FH);
      for (let ow = 0; ow < OW; ow++) {
        const w0 = Math.max(0, ow * sw - left);
        const w1 = Math.min(W, ow * sw - left + FW);
        for (let c = 0; c < C; c++, o++) {
          let best = Number.NEGATIVE_INFINITY;
          let at = -1;
          for (let h = h0; h < h1; h++) {
            for (let w = w0; w < w1; w++) {
              const i = image + (h * W + w) * C + c;
              if (x[i]! > best) {
                best = x[i]!;
                at = i;
              }
            }
          }
          if (at >= 0) dx[at]! += g[o]!;
        }
      }
    }
  }
  return out;
}

export const maxPoolGradConfig = /* @__PURE__ */ wasmKernel(tf.MaxPoolGrad, maxPoolGrad);
