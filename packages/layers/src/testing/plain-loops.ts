/**
 * Plain-loop computations the layer tests compare against: NHWC arrays in, NHWC arrays out,
 * every index written out, no tfjs. Test support only (not exported from the package).
 */

/** A row-major array with its shape. */
export interface Grid {
  readonly data: Float32Array;
  readonly shape: readonly number[];
}

/**
 * Padding before the first row/column under TensorFlow's 'same' rule: the total padding is
 * max((out - 1) * stride + window - in, 0), split with the extra one after.
 */
export function padBefore(
  input: number,
  stride: number,
  window: number,
  padding: 'same' | 'valid',
): number {
  if (padding === 'valid') return 0;
  const out = Math.ceil(input / stride);
  return Math.floor(Math.max((out - 1) * stride + window - input, 0) / 2);
}

/** Output size along one axis. */
export function outSize(
  input: number,
  stride: number,
  window: number,
  padding: 'same' | 'valid',
): number {
  return padding === 'same' ? Math.ceil(input / stride) : Math.floor((input - window) / stride) + 1;
}

export interface WindowOptions {
  strides?: [number, number];
  padding?: 'same' | 'valid';
  dilation?: [number, number];
}

/**
 * y[n, i, j, o] = b[o] + sum_{u, v, c} x[n, i*s - p + u*d, j*s - p + v*d, c] * w[u, v, c, o],
 * positions outside the image reading zero.
 */
export function conv2dLoops(
  x: Grid,
  w: Grid,
  bias: Float32Array | null,
  options: WindowOptions = {},
): Grid {
  const [n, h, wd, cin] = x.shape as [number, number, number, number];
  const [kh, kw, , cout] = w.shape as [number, number, number, number];
  const [sh, sw] = options.strides ?? [1, 1];
  const [dh, dw] = options.dilation ?? [1, 1];
  const padding = options.padding ?? 'valid';
  const [eh, ew] = [dh * (kh - 1) + 1, dw * (kw - 1) + 1];
  const [oh, ow] = [outSize(h, sh, eh, padding), outSize(wd, sw, ew, padding)];
  const [ph, pw] = [padBefore(h, sh, eh, padding), padBefore(wd, sw, ew, padding)];
  const out = new Float32Array(n * oh * ow * cout);
  for (let b = 0; b < n; b++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++)
        for (let o = 0; o < cout; o++) {
          let sum = bias ? bias[o]! : 0;
          for (let u = 0; u < kh; u++)
            for (let v = 0; v < kw; v++) {
              const r = i * sh - ph + u * dh;
              const c = j * sw - pw + v * dw;
              if (r < 0 || r >= h || c < 0 || c >= wd) continue;
              for (let k = 0; k < cin; k++)
                sum +=
                  x.data[((b * h + r) * wd + c) * cin + k]! *
                  w.data[((u * kw + v) * cin + k) * cout + o]!;
            }
          out[((b * oh + i) * ow + j) * cout + o] = sum;
        }
  return { data: out, shape: [n, oh, ow, cout] };
}

/** y[n, i, j, c*M + m] = b + sum_{u, v} x[n, i*s - p + u*d, j*s - p + v*d, c] * w[u, v, c, m]. */
export function depthwiseLoops(
  x: Grid,
  w: Grid,
  bias: Float32Array | null,
  options: WindowOptions = {},
): Grid {
  const [n, h, wd, cin] = x.shape as [number, number, number, number];
  const [kh, kw, , mult] = w.shape as [number, number, number, number];
  const [sh, sw] = options.strides ?? [1, 1];
  const [dh, dw] = options.dilation ?? [1, 1];
  const padding = options.padding ?? 'valid';
  const [eh, ew] = [dh * (kh - 1) + 1, dw * (kw - 1) + 1];
  const [oh, ow] = [outSize(h, sh, eh, padding), outSize(wd, sw, ew, padding)];
  const [ph, pw] = [padBefore(h, sh, eh, padding), padBefore(wd, sw, ew, padding)];
  const cout = cin * mult;
  const out = new Float32Array(n * oh * ow * cout);
  for (let b = 0; b < n; b++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++)
        for (let c = 0; c < cin; c++)
          for (let m = 0; m < mult; m++) {
            let sum = bias ? bias[c * mult + m]! : 0;
            for (let u = 0; u < kh; u++)
              for (let v = 0; v < kw; v++) {
                const r = i * sh - ph + u * dh;
                const q = j * sw - pw + v * dw;
                if (r < 0 || r >= h || q < 0 || q >= wd) continue;
                sum +=
                  x.data[((b * h + r) * wd + q) * cin + c]! *
                  w.data[((u * kw + v) * cin + c) * mult + m]!;
              }
            out[((b * oh + i) * ow + j) * cout + c * mult + m] = sum;
          }
  return { data: out, shape: [n, oh, ow, cout] };
}

/**
 * Max or average over each window, channel by channel. Average divides by the positions
 * inside the image (TensorFlow's 'same' rule).
 */
export function poolLoops(
  x: Grid,
  kind: 'max' | 'avg',
  size: [number, number],
  options: WindowOptions = {},
): Grid {
  const [n, h, wd, ch] = x.shape as [number, number, number, number];
  const [kh, kw] = size;
  const [sh, sw] = options.strides ?? size;
  const padding = options.padding ?? 'valid';
  const [oh, ow] = [outSize(h, sh, kh, padding), outSize(wd, sw, kw, padding)];
  const [ph, pw] = [padBefore(h, sh, kh, padding), padBefore(wd, sw, kw, padding)];
  const out = new Float32Array(n * oh * ow * ch);
  for (let b = 0; b < n; b++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++)
        for (let c = 0; c < ch; c++) {
          let max = -Infinity;
          let sum = 0;
          let count = 0;
          for (let u = 0; u < kh; u++)
            for (let v = 0; v < kw; v++) {
              const r = i * sh - ph + u;
              const q = j * sw - pw + v;
              if (r < 0 || r >= h || q < 0 || q >= wd) continue;
              const value = x.data[((b * h + r) * wd + q) * ch + c]!;
              max = Math.max(max, value);
              sum += value;
              count++;
            }
          out[((b * oh + i) * ow + j) * ch + c] = kind === 'max' ? max : sum / count;
        }
  return { data: out, shape: [n, oh, ow, ch] };
}

/** Largest absolute difference between two arrays of equal length. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}
