import type * as tf from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { dispose, heapView, runKernel, type WasmBackend } from './wasm-backend.js';

/**
 * Input gradient of a convolution as a forward convolution of dy, run by XNNPACK:
 *
 *   dx[n, ih, iw, ci] = sum over kh, kw, co of dy[n, oh, ow, co] * W[kh, kw, ci, co],  ih = oh*sh + kh - pt
 *
 * equals a stride-1 convolution of dy with the filter rotated by 180 degrees (`flipped`, laid
 * out for `convKernel`), after spreading dy's pixels `stride` apart with zeros in between and
 * padding it by KH-1-pt rows on top and KW-1-pl columns on the left (the bottom and right
 * padding make the output H x W). With stride 1 and non-negative padding dy is used as it is;
 * otherwise the spread, padded dy is built on the heap (cropping where the padding is negative).
 */
export function inputGradientAsConv(
  backend: WasmBackend,
  dy: TensorInfo,
  flipped: TensorInfo,
  info: tf.backend_util.Conv2DInfo,
  convKernel: 'Conv2D' | 'DepthwiseConv2dNative',
): TensorInfo {
  const { inHeight, inWidth, outHeight, outWidth, filterHeight, filterWidth } = info;
  const { strideHeight: sh, strideWidth: sw } = info;
  const top = filterHeight - 1 - info.padInfo.top;
  const left = filterWidth - 1 - info.padInfo.left;
  const bottom = inHeight + filterHeight - 1 - top - ((outHeight - 1) * sh + 1);
  const right = inWidth + filterWidth - 1 - left - ((outWidth - 1) * sw + 1);
  const attrs = { strides: [1, 1], dilations: [1, 1], dataFormat: 'NHWC' };
  if (sh === 1 && sw === 1 && Math.min(top, left, bottom, right) >= 0) {
    const pad = [
      [0, 0],
      [top, bottom],
      [left, right],
      [0, 0],
    ];
    return runKernel(backend, convKernel, { x: dy, filter: flipped }, { ...attrs, pad });
  }
  const spread = spreadAndPad(backend, dy, info, top, left);
  const out = runKernel(
    backend,
    convKernel,
    { x: spread, filter: flipped },
    { ...attrs, pad: 'valid' },
  );
  dispose(backend, spread);
  return out;
}

/**
 * A new heap tensor P[n, t, u, c] = dy[n, oh, ow, c] where t = oh*sh + top and u = ow*sw + left,
 * zero elsewhere, of size H + KH - 1 by W + KW - 1 (rows or columns outside are dropped).
 */
function spreadAndPad(
  backend: WasmBackend,
  dy: TensorInfo,
  info: tf.backend_util.Conv2DInfo,
  top: number,
  left: number,
): TensorInfo {
  const { batchSize: n, outHeight, outWidth, strideHeight: sh, strideWidth: sw } = info;
  const channels = dy.shape[3] ?? 0;
  const height = info.inHeight + info.filterHeight - 1;
  const width = info.inWidth + info.filterWidth - 1;
  const out = backend.makeOutput([n, height, width, channels], 'float32');
  const p = heapView(backend, out);
  const d = heapView(backend, dy);
  p.fill(0);
  for (let b = 0; b < n; b++) {
    for (let oh = 0; oh < outHeight; oh++) {
      const t = oh * sh + top;
      if (t < 0 || t >= height) continue;
      for (let ow = 0; ow < outWidth; ow++) {
        const u = ow * sw + left;
        if (u < 0 || u >= width) continue;
        const src = ((b * outHeight + oh) * outWidth + ow) * channels;
        p.set(d.subarray(src, src + channels), ((b * height + t) * width + u) * channels);
      }
    }
  }
  return out;
}
