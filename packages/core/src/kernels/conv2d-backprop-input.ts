import type { TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { convInputGradGemm, gemmConvolutionFits } from './conv-gemm.js';
import { type ConvAttrs, convGeometry } from './conv-geometry.js';
import { flipFilter } from './flip-filter.js';
import { inputGradientAsConv } from './input-gradient-as-conv.js';
import { simdKernels } from './simd-kernels.js';
import { asWasmBackend, dispose, type KernelArgs, wasmKernel } from './wasm-backend.js';
import { convInputGradWinograd, winogradFits } from './winograd.js';

/**
 * Input gradient of a 2-D convolution (NHWC) on wasm, replacing tfjs-backend-wasm's plain C
 * loop (about 1 GMAC/s):
 *
 *   dx[n, ih, iw, ci] = sum over kh, kw, co of dy[n, oh, ow, co] * W[kh, kw, ci, co],  ih = oh*sh + kh - pt
 *
 * as chunks of dy W^T added back at the windows (simd/conv.as, convInputGradGemm: 18-24
 * GMAC/s, strided layers included); without SIMD, a convolution of dy with
 * W'[kh, kw, co, ci] = W[KH-1-kh, KW-1-kw, ci, co] run by XNNPACK (see inputGradientAsConv),
 * which for a strided layer first spreads dy out with zeros (about 5 GMAC/s).
 */
function conv2dBackpropInput({ inputs, backend: b, attrs }: KernelArgs): TensorInfo {
  const backend = asWasmBackend(b, tf.Conv2DBackpropInput);
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const { inputShape, ...conv } = attrs as unknown as ConvAttrs & { inputShape: number[] };
  const info = convGeometry(tf.Conv2DBackpropInput, inputShape, filter.shape, conv, false);
  const simd = simdKernels(backend.wasm);
  if (simd !== undefined && winogradFits(info))
    return convInputGradWinograd(backend, simd, dy, filter, info);
  if (simd !== undefined && gemmConvolutionFits(info))
    return convInputGradGemm(backend, simd, dy, filter, info);
  const flipped = flipFilter(backend, filter, true);
  const dx = inputGradientAsConv(backend, dy, flipped, info, 'Conv2D');
  dispose(backend, flipped);
  return dx;
}

export const conv2dBackpropInputConfig = /* @__PURE__ */ wasmKernel(
  tf.Conv2DBackpropInput,
  conv2dBackpropInput,
);
