// Convolution shapes shared by the gradient kernel tests.
import * as tf from '@tensorflow/tfjs-core';

export type Pad = 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;

/** One convolution: input NHWC, filter window and channel count, strides, padding. */
export interface ConvCase {
  x: [number, number, number, number];
  /** [kh, kw, out]: output channels for Conv2D, the channel multiplier for depthwise. */
  filter: [number, number, number];
  strides: number | [number, number];
  pad: Pad;
}

/** Batch sizes 1 to 4, windows 1x1 to 5x5, strides 1 to 3, SAME/VALID/number/explicit pads. */
export const convCases: ConvCase[] = [
  { x: [1, 5, 5, 1], filter: [3, 3, 2], strides: 1, pad: 'same' },
  { x: [2, 7, 6, 3], filter: [3, 3, 4], strides: 1, pad: 'valid' },
  { x: [3, 8, 8, 2], filter: [3, 3, 1], strides: 2, pad: 'same' },
  { x: [2, 9, 7, 3], filter: [3, 2, 2], strides: 2, pad: 'valid' },
  { x: [2, 8, 8, 4], filter: [2, 2, 3], strides: 1, pad: 'same' },
  { x: [1, 10, 9, 2], filter: [5, 5, 3], strides: [2, 1], pad: 'same' },
  { x: [2, 6, 6, 3], filter: [1, 1, 4], strides: 2, pad: 'valid' },
  {
    x: [2, 7, 7, 2],
    filter: [3, 3, 2],
    strides: 1,
    pad: [
      [0, 0],
      [2, 0],
      [1, 2],
      [0, 0],
    ],
  },
  { x: [1, 9, 9, 2], filter: [3, 3, 3], strides: 3, pad: 1 },
  { x: [4, 12, 12, 5], filter: [3, 3, 2], strides: 2, pad: 'same' },
];

/**
 * Conv2D only, sized for the im2col-and-product kernels (simd/conv.as): windows of 32 values
 * and more, output channels not a multiple of 8 (4-wide and 1-3-wide tails), several chunks
 * of positions (accumulated filter gradients), a window of more than 512 values (blocks of the
 * shared dimension), a 1x1 stride-1 layer read in place, ResNet's strided 3x3 and 1x1 layers.
 */
export const gemmConvCases: ConvCase[] = [
  { x: [2, 9, 9, 8], filter: [3, 3, 10], strides: 1, pad: 'same' },
  { x: [3, 8, 7, 16], filter: [3, 3, 13], strides: 2, pad: 'same' },
  { x: [2, 6, 6, 40], filter: [1, 1, 9], strides: 1, pad: 'valid' },
  { x: [8, 16, 16, 8], filter: [3, 3, 6], strides: 1, pad: 'same' },
  { x: [4, 10, 10, 8], filter: [3, 3, 600], strides: 1, pad: 'valid' },
  { x: [2, 6, 6, 64], filter: [3, 3, 12], strides: 1, pad: 'same' },
  { x: [2, 8, 8, 16], filter: [1, 1, 32], strides: 2, pad: 'valid' },
  { x: [1, 7, 5, 12], filter: [2, 4, 7], strides: [1, 2], pad: 'same' },
];

/**
 * 3x3 stride-1 convolutions with channel counts of multiples of 4 (at least 8), the ones
 * ../winograd.ts runs by F(2x2, 3x3): odd and even output sizes (tiles hanging over the
 * right and bottom edges), SAME, VALID and explicit padding from 0 to 2 on a side, more tiles
 * than one chunk holds (chunks accumulate the filter gradient), m2cnn's and ResNet-18's
 * shapes, channel counts not a multiple of 8 (4-wide tails of the products).
 */
export const winogradConvCases: ConvCase[] = [
  { x: [2, 6, 6, 8], filter: [3, 3, 8], strides: 1, pad: 'same' },
  { x: [3, 7, 5, 12], filter: [3, 3, 20], strides: 1, pad: 'same' },
  { x: [2, 9, 8, 16], filter: [3, 3, 12], strides: 1, pad: 'valid' },
  {
    x: [2, 7, 6, 8],
    filter: [3, 3, 16],
    strides: 1,
    pad: [
      [0, 0],
      [2, 0],
      [0, 1],
      [0, 0],
    ],
  },
  { x: [1, 5, 5, 8], filter: [3, 3, 8], strides: 1, pad: 2 },
  { x: [16, 14, 14, 16], filter: [3, 3, 32], strides: 1, pad: 'same' },
  { x: [16, 7, 7, 32], filter: [3, 3, 64], strides: 1, pad: 'same' },
  { x: [2, 8, 8, 64], filter: [3, 3, 64], strides: 1, pad: 'same' },
];

/**
 * One-channel inputs with output channels a multiple of 4, the forward convolutions
 * simd/conv-c1.as runs directly: 16-channel blocks and 4-channel tails, strides, SAME, VALID
 * and explicit padding, windows from 2x2 to 5x5 (m2cnn's, cnn4's and basecnn's first layers).
 */
export const singleChannelConvCases: ConvCase[] = [
  { x: [2, 28, 28, 1], filter: [3, 3, 16], strides: 1, pad: 'same' },
  { x: [3, 9, 7, 1], filter: [3, 3, 8], strides: 2, pad: 'same' },
  { x: [2, 8, 8, 1], filter: [2, 2, 20], strides: 1, pad: 'same' },
  { x: [1, 6, 5, 1], filter: [5, 5, 4], strides: 1, pad: 'valid' },
  {
    x: [2, 7, 6, 1],
    filter: [3, 3, 36],
    strides: [1, 2],
    pad: [
      [0, 0],
      [2, 1],
      [0, 2],
      [0, 0],
    ],
  },
];

/** Output shape of `c` as a Conv2D (depthwise = false) or a depthwise convolution. */
export function outShape(c: ConvCase, depthwise: boolean): number[] {
  return tf.backend_util.computeConv2DInfo(
    c.x,
    filterShape(c),
    c.strides,
    1,
    c.pad,
    undefined,
    depthwise,
  ).outShape;
}

/** [kh, kw, in, out-or-multiplier]. */
export function filterShape(c: ConvCase): [number, number, number, number] {
  return [c.filter[0], c.filter[1], c.x[3], c.filter[2]];
}

/** A readable test name. */
export function caseName(c: ConvCase): string {
  return `x ${c.x.join('x')}, filter ${c.filter.join('x')}, strides ${String(c.strides)}, pad ${JSON.stringify(c.pad)}`;
}
