import type { TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { convFilterGradGemm, gemmConvolutionFits } from './conv-gemm.js';
import { type ConvAttrs, convGeometry } from './conv-geometry.js';
import { filterGradientAsConv } from './filter-gradient-as-conv.js';
import { simdKernels } from './simd-kernels.js';
import {
  asWasmBackend,
  dispose,
  heapOffset,
  type KernelArgs,
  runKernel,
  wasmKernel,
} from './wasm-backend.js';
import { convFilterGradWinograd, winogradFits } from './winograd.js';

/**
 * Filter gradient of a 2-D convolution (NHWC) on wasm:
 *
 *   dW[kh, kw, ci, co] = sum over n, oh, ow of x[n, oh*sh + kh - pt, ow*sw + kw - pl, ci] * dy[n, oh, ow, co]
 *
 * As im2col chunks times our SIMD product (simd/conv.as, convFilterGradGemm) where the
 * window holds at least 32 values; below that (a first layer on 1-channel images, where the
 * product's rows are too short) summed in place by simd/conv2d-filter-grad.as. Without SIMD,
 * as a forward convolution with batch and channels swapped, run by XNNPACK
 * (filterGradientAsConv: out[ci, kh, kw, co], then a transpose to [kh, kw, ci, co]); that path
 * repacks dy as XNNPACK weights on every call, which costs more than the arithmetic.
 */
function conv2dBackpropFilter({ inputs, backend: b, attrs }: KernelArgs): TensorInfo {
  const backend = asWasmBackend(b, tf.Conv2DBackpropFilter);
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { filterShape, ...conv } = attrs as unknown as ConvAttrs & { filterShape: number[] };
  const info = convGeometry(tf.Conv2DBackpropFilter, x.shape, filterShape, conv, false);

  const simd = simdKernels(backend.wasm);
  const window = info.filterHeight * info.filterWidth * info.inChannels;
  if (simd !== undefined && winogradFits(info))
    return convFilterGradWinograd(backend, simd, x, dy, info);
  if (simd !== undefined && window >= 32 && gemmConvolutionFits(info))
    return convFilterGradGemm(backend, simd, x, dy, info);
  if (simd !== undefined) {
    const dW = backend.makeOutput(filterShape, 'float32');
    simd.conv2dFilterGrad(
      heapOffset(backend, x),
      heapOffset(backend, dy),
      heapOffset(backend, dW),
      info.batchSize,
      info.inHeight,
      info.inWidth,
      info.inChannels,
      info.outHeight,
      info.outWidth,
      info.outChannels,
      info.filterHeight,
      info.filterWidth,
      info.strideHeight,
      info.strideWidth,
      info.padInfo.top,
      info.padInfo.left,
    );
    return dW;
  }

  const out = filterGradientAsConv(backend, x, dy, info);
  if (info.inChannels === 1) return { ...out, shape: filterShape };
  const dW = runKernel(backend, tf.Transpose, { x: out }, { perm: [1, 2, 0, 3] });
  dispose(backend, out);
  return dW;
}

export const conv2dBackpropFilterConfig = /* @__PURE__ */ wasmKernel(
  tf.Conv2DBackpropFilter,
  conv2dBackpropFilter,
);
