import type { TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { type ConvAttrs, convGeometry } from './conv-geometry.js';
import { flipFilter } from './flip-filter.js';
import { inputGradientAsConv } from './input-gradient-as-conv.js';
import {
  asWasmBackend,
  dispose,
  type KernelArgs,
  reshaped,
  runKernel,
  wasmKernel,
} from './wasm-backend.js';

/**
 * Input gradient of a depthwise convolution (NHWC, channel multiplier CM) on wasm:
 *
 *   dx[n, ih, iw, c] = sum over kh, kw, m of dy[n, oh, ow, c*CM + m] * W[kh, kw, c, m],  ih = oh*sh + kh - pt
 *
 * Each of the C*CM channels of dy is convolved with its own rotated filter tap set
 * W'[kh, kw, c*CM + m] = W[KH-1-kh, KW-1-kw, c, m] - a depthwise convolution with multiplier 1,
 * run by XNNPACK (see inputGradientAsConv) - and the CM channels of each input channel summed.
 */
function depthwiseBackpropInput({ inputs, backend: b, attrs }: KernelArgs): TensorInfo {
  const backend = asWasmBackend(b, tf.DepthwiseConv2dNativeBackpropInput);
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const { inputShape, ...conv } = attrs as unknown as ConvAttrs & { inputShape: number[] };
  const name = tf.DepthwiseConv2dNativeBackpropInput;
  const info = convGeometry(name, inputShape, filter.shape, conv, true);
  const [kh, kw, channels, multiplier] = filter.shape as [number, number, number, number];
  const flipped = flipFilter(backend, filter, false);
  const perChannel = reshaped(flipped, [kh, kw, channels * multiplier, 1]);
  const spread = inputGradientAsConv(backend, dy, perChannel, info, 'DepthwiseConv2dNative');
  dispose(backend, flipped);
  if (multiplier === 1) return spread;
  const [n, h, w] = spread.shape as [number, number, number];
  const grouped = reshaped(spread, [n, h, w, channels, multiplier]);
  const dx = runKernel(backend, tf.Sum, { x: grouped }, { axis: [4], keepDims: false });
  dispose(backend, spread);
  return dx;
}

export const depthwiseBackpropInputConfig = /* @__PURE__ */ wasmKernel(
  tf.DepthwiseConv2dNativeBackpropInput,
  depthwiseBackpropInput,
);
