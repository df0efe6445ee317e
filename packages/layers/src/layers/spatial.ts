import type * as tf from '@tensorflow/tfjs-core';
import type { Shape } from '../summary/describe.js';

/**
 * Shared arithmetic of the NHWC windowed layers (convolutions and pools): option
 * normalisation, output sizes and shape checks with errors that name what was received.
 */

/**
 * 'same': pad with zeros so that output = ceil(input / stride) (TensorFlow's rule, extra
 * padding at the bottom/right); 'valid': no padding, output = floor((input - k) / stride) + 1.
 */
export type Padding = 'same' | 'valid';

/** A size along [height, width]; a single number means the same for both. */
export type Size2 = number | readonly [number, number];

/** Normalises a {@link Size2} option to [height, width], checking positive integers. */
export function pair(layer: string, field: string, value: Size2): [number, number] {
  const [h, w] = typeof value === 'number' ? [value, value] : value;
  if (!Number.isInteger(h) || !Number.isInteger(w) || h < 1 || w < 1) {
    throw new Error(
      `${layer}: ${field} must be a positive integer or [height, width] of them, got ${JSON.stringify(value)}`,
    );
  }
  return [h, w];
}

export function checkPadding(layer: string, padding: string): Padding {
  if (padding !== 'same' && padding !== 'valid') {
    throw new Error(`${layer}: padding must be 'same' or 'valid', got "${padding}"`);
  }
  return padding;
}

/** The window as it lands on the input: d * (k - 1) + 1 per axis. */
export function dilatedKernel(
  kernel: [number, number],
  dilation: [number, number],
): [number, number] {
  return [dilation[0] * (kernel[0] - 1) + 1, dilation[1] * (kernel[1] - 1) + 1];
}

/** Checks an image shape [height, width, channels] (per example) and returns it. */
export function imageShape(
  layer: string,
  shape: Shape,
  channels?: number,
): [number, number, number] {
  const c = channels ?? 'channels';
  if (shape.length !== 3 || (channels !== undefined && shape[2] !== channels)) {
    throw new Error(`${layer}: expected input [height, width, ${c}], got [${shape}]`);
  }
  return [shape[0]!, shape[1]!, shape[2]!];
}

/** Checks a batch tensor [batch, height, width, channels] and returns it as 4-D. */
export function imageBatch(layer: string, x: tf.Tensor, channels?: number): tf.Tensor4D {
  if (x.rank !== 4 || (channels !== undefined && x.shape[3] !== channels)) {
    throw new Error(
      `${layer}: expected input [batch, height, width, ${channels ?? 'channels'}], got [${x.shape}]`,
    );
  }
  return x as tf.Tensor4D;
}

/**
 * Output [height, width] of a window of `kernel` (dilated) moved by `stride` over `input`.
 * Throws when a 'valid' window does not fit.
 */
export function windowOutput(
  layer: string,
  input: readonly [number, number],
  kernel: [number, number],
  stride: [number, number],
  padding: Padding,
): [number, number] {
  if (padding === 'same') {
    return [Math.ceil(input[0] / stride[0]), Math.ceil(input[1] / stride[1])];
  }
  if (input[0] < kernel[0] || input[1] < kernel[1]) {
    throw new Error(
      `${layer}: input ${input[0]}x${input[1]} is smaller than the ${kernel[0]}x${kernel[1]} window with 'valid' padding`,
    );
  }
  return [
    Math.floor((input[0] - kernel[0]) / stride[0]) + 1,
    Math.floor((input[1] - kernel[1]) / stride[1]) + 1,
  ];
}

/** tfjs convolutions take either strides or dilations above 1, not both. */
export function checkStrideOrDilation(
  layer: string,
  stride: [number, number],
  dilation: [number, number],
): void {
  if (Math.max(...stride) > 1 && Math.max(...dilation) > 1) {
    throw new Error(
      `${layer}: strides and dilation cannot both exceed 1 (a tfjs limit), got strides [${stride}] and dilation [${dilation}]`,
    );
  }
}
