import * as tf from '@tensorflow/tfjs-core';

/** Padding of a convolution in NHWC, as the `pad` attribute of an explicit-padding Conv2D. */
export type ExplicitPad = [[0, 0], [number, number], [number, number], [0, 0]];

/** tfjs conv attributes every gradient kernel reads (strides, dilations, pad, rounding). */
export interface ConvAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  dilations?: number | [number, number];
  dataFormat?: 'NHWC' | 'NCHW';
}

/**
 * tfjs's conv geometry for `inShape` (NHWC) and `filterShape`, after checking what the
 * gradient kernels support: NHWC and dilation 1 (tfjs's own gradients of Conv2D and
 * DepthwiseConv2dNative reject dilations above 1 as well).
 */
export function convGeometry(
  kernelName: string,
  inShape: number[],
  filterShape: number[],
  attrs: ConvAttrs,
  depthwise: boolean,
): tf.backend_util.Conv2DInfo {
  if (attrs.dataFormat === 'NCHW') {
    throw new Error(`${kernelName} on wasm supports dataFormat NHWC, got NCHW`);
  }
  const dilations = attrs.dilations ?? 1;
  if (!tf.backend_util.tupleValuesAreOne(dilations)) {
    throw new Error(`${kernelName} on wasm supports dilations 1, got ${String(dilations)}`);
  }
  return tf.backend_util.computeConv2DInfo(
    inShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    depthwise,
  );
}
