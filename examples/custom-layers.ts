/**
 * A convolution and a linear layer written by hand, matched against the library
 * (USECASES section 2, "Models and layers").
 *
 * The convolution is seven plain loops, the linear layer one matrix product; both run on the
 * same weights as tunelab's Conv2D and Linear, which run tfjs's fused kernels in float32.
 * They agree to 1e-6 (relative to max(1, |value|)): float32 keeps about 7 significant digits.
 * packages/layers/src/reference has the same loops with their backward passes.
 *
 *   node --import jiti/register examples/custom-layers.ts          # small shapes
 *   node --import jiti/register examples/custom-layers.ts --full   # 8 images of 28x28x3, 16 filters of 5x5
 */
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@tunelab/core';
import { Conv2D, Linear } from '@tunelab/layers';
import { useBackend } from './lib/backend.js';
import { logger, type RunOptions, runWhenMain } from './lib/cli.js';

/** Sizes of a convolution: input [n, h, w, c] (NHWC), kernel [kh, kw, c, f] (HWIO). */
interface ConvShape {
  n: number;
  h: number;
  w: number;
  c: number;
  kh: number;
  kw: number;
  f: number;
}

/**
 * Convolution by hand (a cross-correlation: the kernel is not flipped), stride s, with
 * TensorFlow's 'valid' (no padding) or 'same' (out = ceil(in / s), zeros around) rule:
 *   y[n, i, j, f] = b[f] + sum_{p, q, c} x[n, i*s + p - top, j*s + q - left, c] * k[p, q, c, f]
 */
export function convByHand(
  x: Float64Array,
  k: Float64Array,
  b: Float64Array,
  { n, h, w, c, kh, kw, f }: ConvShape,
  stride: number,
  padding: 'valid' | 'same',
): { y: Float64Array; oh: number; ow: number } {
  const oh = padding === 'same' ? Math.ceil(h / stride) : Math.floor((h - kh) / stride) + 1;
  const ow = padding === 'same' ? Math.ceil(w / stride) : Math.floor((w - kw) / stride) + 1;
  // 'same' pads max((out - 1) * stride + k - in, 0) in total, the smaller half on top/left.
  const top = padding === 'same' ? Math.floor(Math.max((oh - 1) * stride + kh - h, 0) / 2) : 0;
  const left = padding === 'same' ? Math.floor(Math.max((ow - 1) * stride + kw - w, 0) / 2) : 0;
  const y = new Float64Array(n * oh * ow * f);
  for (let e = 0; e < n; e++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++)
        for (let o = 0; o < f; o++) {
          let sum = b[o]!;
          for (let p = 0; p < kh; p++)
            for (let q = 0; q < kw; q++) {
              const r = i * stride + p - top;
              const s = j * stride + q - left;
              if (r < 0 || r >= h || s < 0 || s >= w) continue; // padding reads as zero
              for (let ch = 0; ch < c; ch++) {
                sum += x[((e * h + r) * w + s) * c + ch]! * k[((p * kw + q) * c + ch) * f + o]!;
              }
            }
          y[((e * oh + i) * ow + j) * f + o] = sum;
        }
  return { y, oh, ow };
}

/** Linear layer by hand, one matrix product: y[n, o] = b[o] + sum_i x[n, i] * W[i, o]. */
export function linearByHand(
  x: Float64Array,
  weight: Float64Array,
  b: Float64Array,
  rows: number,
  inputs: number,
  outputs: number,
): Float64Array {
  const y = new Float64Array(rows * outputs);
  for (let r = 0; r < rows; r++)
    for (let o = 0; o < outputs; o++) {
      let sum = b[o]!;
      for (let i = 0; i < inputs; i++) sum += x[r * inputs + i]! * weight[i * outputs + o]!;
      y[r * outputs + o] = sum;
    }
  return y;
}

/** Largest |a - b| / max(1, |b|): the error measure for float64 vs float32 results. */
function maxRelativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!)));
  }
  return worst;
}

/** Runs the library Conv2D with the given kernel and bias. */
function libraryConv(
  x: Float64Array,
  k: Float64Array,
  b: Float64Array,
  s: ConvShape,
  stride: number,
  padding: 'valid' | 'same',
) {
  const layer = new Conv2D({
    inputChannels: s.c,
    filters: s.f,
    kernelSize: [s.kh, s.kw],
    strides: stride,
    padding,
    rng: Rng.fromSeed(0),
  });
  layer.weight.variable.assign(tf.tensor4d(Float32Array.from(k), [s.kh, s.kw, s.c, s.f]));
  layer.bias!.variable.assign(tf.tensor1d(Float32Array.from(b)));
  const y = tf.tidy(() => layer.forward(tf.tensor4d(Float32Array.from(x), [s.n, s.h, s.w, s.c])));
  const result = { shape: y.shape, values: y.dataSync() };
  y.dispose();
  layer.dispose();
  return result;
}

export async function run(options: RunOptions) {
  const log = logger(options);
  await useBackend('exact');

  // 1. By hand on paper: a 3x3 image 1..9 and a 2x2 kernel of ones, 'valid', stride 1.
  // Each output is the sum of a 2x2 window: 1+2+4+5 = 12, 2+3+5+6 = 16, 4+5+7+8 = 24, 5+6+8+9 = 28.
  const tiny: ConvShape = { n: 1, h: 3, w: 3, c: 1, kh: 2, kw: 2, f: 1 };
  const image = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const ones = Float64Array.from([1, 1, 1, 1]);
  const zero = Float64Array.from([0]);
  const paper = Array.from(convByHand(image, ones, zero, tiny, 1, 'valid').y);
  const paperLibrary = Array.from(libraryConv(image, ones, zero, tiny, 1, 'valid').values);
  log(`2x2 ones over 1..9: by hand ${paper.join(', ')}; Conv2D ${paperLibrary.join(', ')}`);

  // 2. Random weights, the same numbers through both: 'valid' stride 1 and 'same' stride 2.
  const shape: ConvShape = options.reduced
    ? { n: 2, h: 8, w: 8, c: 3, kh: 3, kw: 3, f: 4 }
    : { n: 8, h: 28, w: 28, c: 3, kh: 5, kw: 5, f: 16 };
  const rng = Rng.fromSeed(1);
  // Float32 draws held in float64: both sides start from exactly the same numbers.
  const x = Float64Array.from(rng.uniformArray(shape.n * shape.h * shape.w * shape.c, -1, 1));
  // Kernel values scaled by 1 / sqrt(fan-in), as initialisers do, so outputs stay near 1.
  const fanIn = shape.kh * shape.kw * shape.c;
  const k = Float64Array.from(rng.uniformArray(fanIn * shape.f, -1, 1), (v) =>
    Math.fround(v / Math.sqrt(fanIn)),
  );
  const b = Float64Array.from(rng.uniformArray(shape.f, -1, 1));
  const conv: Record<string, { shape: number[]; error: number }> = {};
  for (const [stride, padding] of [
    [1, 'valid'],
    [2, 'same'],
  ] as const) {
    const ours = convByHand(x, k, b, shape, stride, padding);
    const lib = libraryConv(x, k, b, shape, stride, padding);
    const key = `${padding} stride ${stride}`;
    conv[key] = { shape: lib.shape, error: maxRelativeError(ours.y, lib.values) };
    log(
      `conv ${key}: output [${lib.shape}], by hand [${shape.n},${ours.oh},${ours.ow},${shape.f}], max relative difference ${conv[key].error.toExponential(1)}`,
    );
  }

  // 3. The linear layer: a batch of flattened images times W [inputs, outputs] plus b.
  const inputs = shape.h * shape.w * shape.c;
  const outputs = 10;
  const linear = new Linear({ inputs, outputs, rng: Rng.fromSeed(2) });
  const weight = Float64Array.from(linear.weight.variable.dataSync());
  const bias = Float64Array.from(rng.uniformArray(outputs, -1, 1));
  linear.bias!.variable.assign(tf.tensor1d(Float32Array.from(bias)));
  const ours = linearByHand(x, weight, bias, shape.n, inputs, outputs);
  const libY = tf.tidy(() =>
    linear.forward(tf.tensor2d(Float32Array.from(x), [shape.n, inputs])).dataSync(),
  );
  const linearError = maxRelativeError(ours, libY);
  log(`linear ${inputs} -> ${outputs}: max relative difference ${linearError.toExponential(1)}`);
  linear.dispose();

  return { paper, paperLibrary, conv, linearError };
}

runWhenMain(import.meta.url, run);
