/** 'valid': windows lie wholly inside the input. 'same': pad so that out = ceil(in / stride). */
export type Padding = 'same' | 'valid';

/** Where the windows fall along one spatial axis: how many, and the padding before the first. */
export interface AxisWindows {
  /** Number of windows (the output size along this axis). */
  out: number;
  /** Padded positions before the input (top or left); window o starts at o * stride - padBefore. */
  padBefore: number;
}

/**
 * TensorFlow's window rule (tf.conv2d, tf.maxPool, Keras) along one axis of length `size`:
 *
 *   effective kernel  k' = (kernel - 1) * dilation + 1
 *   'valid':  out = floor((size - k') / stride) + 1, no padding
 *   'same':   out = ceil(size / stride), total padding = max((out - 1) * stride + k' - size, 0),
 *             floor(total / 2) before and the rest after (an odd extra goes bottom/right).
 *
 * Window o reads input positions o * stride - padBefore + t * dilation for t = 0 .. kernel-1.
 * @example axisWindows(4, 3, 2, 1, 'same') // { out: 2, padBefore: 0 }: total padding 1, after
 */
export function axisWindows(
  size: number,
  kernel: number,
  stride: number,
  dilation: number,
  padding: Padding,
): AxisWindows {
  const effective = (kernel - 1) * dilation + 1;
  if (padding === 'valid') {
    if (effective > size) {
      throw new Error(
        `'valid' padding: the (dilated) kernel spans ${effective} positions but the input has ${size}`,
      );
    }
    return { out: Math.floor((size - effective) / stride) + 1, padBefore: 0 };
  }
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + effective - size, 0);
  return { out, padBefore: Math.floor(total / 2) };
}

/** `value` as [rows, cols]: a single number applies to both axes. */
export function pair(value: number | readonly [number, number], what: string): [number, number] {
  const [a, b] = typeof value === 'number' ? [value, value] : value;
  if (!Number.isInteger(a) || !Number.isInteger(b) || a < 1 || b < 1) {
    throw new Error(`${what} must be positive integers, got ${JSON.stringify(value)}`);
  }
  return [a, b];
}
