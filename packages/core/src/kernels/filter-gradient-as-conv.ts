import type { TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { dispose, reshaped, runKernel, type WasmBackend } from './wasm-backend.js';

/**
 * The correlation of every input channel with every output-gradient channel, over the batch
 * and the output positions, for each filter tap:
 *
 *   out[ci, kh, kw, co] = sum over n, oh, ow of x[n, oh*sh + kh - pt, ow*sw + kw - pl, ci] * dy[n, oh, ow, co]
 *
 * As a forward convolution run by XNNPACK: the input xT[ci, h, w, n] = x[n, h, w, ci] (batch Ci,
 * channels N), the filter dyT[oh, ow, n, co] = dy[n, oh, ow, co] (an OH x OW window, dilated
 * by the stride), stride 1, padding pt / pl and whatever bottom / right padding makes the
 * output KH x KW. Input rows or columns that no output position reaches are cropped instead of
 * padded negatively. Returns [Ci, KH, KW, Co]; the caller disposes it.
 */
export function filterGradientAsConv(
  backend: WasmBackend,
  x: TensorInfo,
  dy: TensorInfo,
  info: tf.backend_util.Conv2DInfo,
): TensorInfo {
  const { batchSize: n, inHeight, inWidth, inChannels, outHeight, outWidth } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const { top, left } = info.padInfo;
  const dy4 = reshaped(dy, [n, outHeight, outWidth, dy.shape[3] ?? 0]);
  // Rows the (dilated) dy window needs below the input: negative means rows nobody reads.
  const bottom = filterHeight + (outHeight - 1) * strideHeight - inHeight - top;
  const right = filterWidth + (outWidth - 1) * strideWidth - inWidth - left;

  let source = x;
  if (bottom < 0 || right < 0) {
    const size = [n, inHeight + Math.min(0, bottom), inWidth + Math.min(0, right), inChannels];
    source = runKernel(backend, tf.Slice, { x }, { begin: [0, 0, 0, 0], size });
  }
  const xT = runKernel(backend, tf.Transpose, { x: source }, { perm: [3, 1, 2, 0] });
  if (source !== x) dispose(backend, source);
  const dyT = runKernel(backend, tf.Transpose, { x: dy4 }, { perm: [1, 2, 0, 3] });
  const out = runKernel(
    backend,
    tf.Conv2D,
    { x: xT, filter: dyT },
    {
      strides: [1, 1],
      pad: [
        [0, 0],
        [top, Math.max(0, bottom)],
        [left, Math.max(0, right)],
        [0, 0],
      ],
      dataFormat: 'NHWC',
      dilations: [strideHeight, strideWidth],
    },
  );
  dispose(backend, xT, dyT);
  return out;
}
