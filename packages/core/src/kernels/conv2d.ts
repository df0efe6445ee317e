import type { TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { convForwardGemm, gemmConvolutionFits } from './conv-gemm.js';
import type { KernelOverride, OriginalKernel } from './override.js';
import { simdKernels } from './simd-kernels.js';
import { asWasmBackend, heapOffset, type KernelArgs } from './wasm-backend.js';
import { convForwardWinograd, winogradFits } from './winograd.js';

/** The attributes of Conv2D and FusedConv2D this path reads. */
interface ConvForwardAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat?: 'NHWC' | 'NCHW';
  dilations?: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  activation?: string;
}

/**
 * A forward convolution as im2col chunks times our 4 x 8 SIMD product (simd/conv.as), bias and
 * relu in the product's last pass; a 3x3 stride-1 layer by Winograd F(2x2, 3x3) (winograd.ts);
 * a one-channel input directly (simd/conv-c1.as: m2cnn's first layer 0.95 -> 0.8 ms at batch 64).
 * The original kernel (XNNPACK) runs where none applies (other activations, PReLU weights,
 * NCHW, dilation, no SIMD).
 * XNNPACK measured 1.8-2.1 GMAC/s on a 1-channel 3x3 input and 8.7 on m2cnn's second layer
 * (14x14x16, 32 filters) where this runs at 6.5 and 22; 18-22 against 22-24 on ResNet-18's.
 */
function forward(args: KernelArgs, original: OriginalKernel, kernelName: string): TensorInfo {
  const { x, filter, bias, preluActivationWeights } = args.inputs as Record<
    string,
    TensorInfo | undefined
  >;
  const attrs = args.attrs as unknown as ConvForwardAttrs;
  const activation = attrs.activation ?? 'linear';
  const backend = asWasmBackend(args.backend, kernelName);
  const simd = simdKernels(backend.wasm);
  if (
    simd === undefined ||
    x === undefined ||
    filter === undefined ||
    preluActivationWeights !== undefined ||
    (activation !== 'linear' && activation !== 'relu') ||
    (attrs.dataFormat ?? 'NHWC') !== 'NHWC' ||
    x.dtype !== 'float32' ||
    filter.dtype !== 'float32' ||
    x.shape.length !== 4 ||
    (bias !== undefined && (bias.dtype !== 'float32' || bias.shape.length !== 1))
  )
    return original(args);
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  if (!gemmConvolutionFits(info) || (bias && bias.shape[0] !== info.outChannels))
    return original(args);
  if (info.inChannels === 1 && info.outChannels % 4 === 0) {
    const out = backend.makeOutput(info.outShape, 'float32');
    simd.conv2dForwardC1(
      heapOffset(backend, x),
      heapOffset(backend, filter),
      bias ? heapOffset(backend, bias) : 0,
      heapOffset(backend, out),
      activation === 'relu' ? 1 : 0,
      info.batchSize,
      info.inHeight,
      info.inWidth,
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
    return out;
  }
  if (winogradFits(info))
    return convForwardWinograd(backend, simd, x, filter, bias, info, activation === 'relu');
  return convForwardGemm(backend, simd, x, filter, bias, info, activation === 'relu');
}

/** Conv2D (no bias, no activation) through {@link forward}. */
export const conv2dOverride: KernelOverride = {
  kernelName: tf.Conv2D,
  kernelFunc: (args, original) => forward(args, original, tf.Conv2D),
};

/** FusedConv2D (bias, relu or none) through {@link forward}. */
export const fusedConv2dOverride: KernelOverride = {
  kernelName: tf.FusedConv2D,
  kernelFunc: (args, original) => forward(args, original, tf.FusedConv2D),
};
