import type { TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { type ConvAttrs, convGeometry } from './conv-geometry.js';
import { filterGradientAsConv } from './filter-gradient-as-conv.js';
import { simdKernels } from './simd-kernels.js';
import {
  asWasmBackend,
  dispose,
  heapOffset,
  heapView,
  type KernelArgs,
  reshaped,
  runKernel,
  type WasmBackend,
  wasmKernel,
} from './wasm-backend.js';

/**
 * Up to this many channels the gradient is taken from the all-pairs correlation (C times the
 * needed work, at XNNPACK's convolution speed); above it from a per-channel depthwise
 * correlation (no waste, but XNNPACK's depthwise path runs large windows about 30x slower).
 */
const ALL_PAIRS_MAX_CHANNELS = 32;

/**
 * Filter gradient of a depthwise convolution (NHWC, channel multiplier CM) on wasm:
 *
 *   dW[kh, kw, c, m] = sum over n, oh, ow of x[n, oh*sh + kh - pt, ow*sw + kw - pl, c] * dy[n, oh, ow, c*CM + m]
 *
 * With multiplier 1, summed in place by our SIMD kernel (simd/depthwise-filter-grad.as).
 * Otherwise, or without it: the diagonal of the all-pairs correlation out[c, kh, kw, c'] of
 * filterGradientAsConv, or one depthwise correlation with batch and channels merged (see
 * perChannelCorrelation), both run by XNNPACK.
 */
function depthwiseBackpropFilter({ inputs, backend: b, attrs }: KernelArgs): TensorInfo {
  const backend = asWasmBackend(b, tf.DepthwiseConv2dNativeBackpropFilter);
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { filterShape, ...conv } = attrs as unknown as ConvAttrs & { filterShape: number[] };
  const name = tf.DepthwiseConv2dNativeBackpropFilter;
  const info = convGeometry(name, x.shape, filterShape, conv, true);
  const simd = simdKernels(backend.wasm);
  if (simd !== undefined && info.outChannels === info.inChannels) {
    const dW = backend.makeOutput(filterShape, 'float32');
    const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, padInfo } = info;
    const { filterHeight, filterWidth, strideHeight, strideWidth } = info;
    simd.depthwiseFilterGrad(
      heapOffset(backend, x),
      heapOffset(backend, dy),
      heapOffset(backend, dW),
      ...[batchSize, inHeight, inWidth, inChannels, outHeight, outWidth],
      ...[filterHeight, filterWidth, strideHeight, strideWidth, padInfo.top, padInfo.left],
    );
    return dW;
  }
  if (info.inChannels > ALL_PAIRS_MAX_CHANNELS) return perChannelCorrelation(backend, x, dy, info);

  const pairs = filterGradientAsConv(backend, x, dy, info);
  const [kh, kw, channels, multiplier] = filterShape as [number, number, number, number];
  const dW = backend.makeOutput(filterShape, 'float32');
  const src = heapView(backend, pairs);
  const dst = heapView(backend, dW);
  const taps = kh * kw;
  const width = channels * multiplier;
  // dW[t, c, m] = pairs[c, t, c*CM + m]
  for (let c = 0; c < channels; c++) {
    for (let t = 0; t < taps; t++) {
      const from = (c * taps + t) * width + c * multiplier;
      dst.set(src.subarray(from, from + multiplier), (t * channels + c) * multiplier);
    }
  }
  dispose(backend, pairs);
  return dW;
}

/**
 * The same sum as one depthwise correlation: input X[0, h, w, n*C + c] = x[n, h, w, c], filter
 * F[oh, ow, n*C + c, m] = dy[n, oh, ow, c*CM + m] (an OH x OW window dilated by the stride), giving
 * out[0, kh, kw, (n*C + c)*CM + m], then summed over n.
 */
function perChannelCorrelation(
  backend: WasmBackend,
  x: TensorInfo,
  dy: TensorInfo,
  info: tf.backend_util.Conv2DInfo,
): TensorInfo {
  const { batchSize: n, inHeight, inWidth, inChannels: c, outHeight, outWidth } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight, strideWidth } = info;
  const multiplier = info.outChannels / c;
  const { top, left } = info.padInfo;
  const bottom = kh + (outHeight - 1) * strideHeight - inHeight - top;
  const right = kw + (outWidth - 1) * strideWidth - inWidth - left;

  let source = x;
  if (bottom < 0 || right < 0) {
    const size = [n, inHeight + Math.min(0, bottom), inWidth + Math.min(0, right), c];
    source = runKernel(backend, tf.Slice, { x }, { begin: [0, 0, 0, 0], size });
  }
  const xT = runKernel(backend, tf.Transpose, { x: source }, { perm: [1, 2, 0, 3] });
  if (source !== x) dispose(backend, source);
  const dyT = runKernel(backend, tf.Transpose, { x: dy }, { perm: [1, 2, 0, 3] });
  const [h, w] = xT.shape as [number, number];
  const out = runKernel(
    backend,
    tf.DepthwiseConv2dNative,
    {
      x: reshaped(xT, [1, h, w, n * c]),
      filter: reshaped(dyT, [outHeight, outWidth, n * c, multiplier]),
    },
    {
      strides: [1, 1],
      pad: [
        [0, 0],
        [top, Math.max(0, bottom)],
        [left, Math.max(0, right)],
        [0, 0],
      ],
      dilations: [strideHeight, strideWidth],
    },
  );
  dispose(backend, xT, dyT);
  const perSample = reshaped(out, [kh * kw, n, c * multiplier]);
  const dW = runKernel(backend, tf.Sum, { x: perSample }, { axis: [1], keepDims: false });
  dispose(backend, out);
  return reshaped(dW, [kh, kw, c, multiplier]);
}

export const depthwiseBackpropFilterConfig = /* @__PURE__ */ wasmKernel(
  tf.DepthwiseConv2dNativeBackpropFilter,
  depthwiseBackpropFilter,
);
