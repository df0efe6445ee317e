import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { gradientsRegistered, Rng } from '@tunelab/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ConvGeometry, conv2dBackward, conv2dForward } from './conv2d.js';
import { centralDifferences, dot, maxRelativeError } from './gradient-check.js';
import { type NDArray, ndarray, ndarrayToTensor, randomNdarray } from './ndarray.js';

// Tolerances (as in linear.test.ts, relative to max(1, |value|)): the reference is float64
// on the library's float32 inputs, so differences are tfjs's float32 rounding over at most
// ~50 multiply-adds per output (KH*KW*C) and ~100 per gradient entry:
// - forward vs tf.conv2d and tf.fused.conv2d: 1e-6 (seen: up to 7e-7 absolute on outputs
//   near 5, where one float32 ulp is already 4.8e-7);
// - gradients vs tfjs autodiff: 1e-5 (seen: 6e-8);
// - gradients vs float64 central differences: the probe loss sum(c * (conv(x, w) + b)) is
//   linear in each of x, w, b, so there is no truncation error, only ~1e-16 * |L| / h of
//   rounding: 1e-8.
const FORWARD_TOL = 1e-6;
const AUTODIFF_TOL = 1e-5;
const FINITE_DIFF_TOL = 1e-8;

beforeAll(async () => {
  await tf.setBackend('cpu');
  expect(gradientsRegistered).toBe(true);
});

interface Case {
  name: string;
  x: [number, number, number, number];
  kernel: [number, number, number, number];
  geometry: ConvGeometry;
}

// tfjs requires strides or dilations to be 1, so no case combines both.
const cases: Case[] = [
  {
    name: '3x3, stride 1, same',
    x: [2, 5, 5, 3],
    kernel: [3, 3, 3, 4],
    geometry: { padding: 'same' },
  },
  {
    name: '3x3, stride 2, same on even sizes (padding after only)',
    x: [1, 6, 6, 2],
    kernel: [3, 3, 2, 3],
    geometry: { strides: 2, padding: 'same' },
  },
  {
    name: '2x3, strides [2, 1], same on odd sizes',
    x: [2, 7, 5, 2],
    kernel: [2, 3, 2, 2],
    geometry: { strides: [2, 1], padding: 'same' },
  },
  {
    name: '5x5, stride 2, valid',
    x: [1, 9, 8, 1],
    kernel: [5, 5, 1, 2],
    geometry: { strides: 2, padding: 'valid' },
  },
  {
    name: '3x3, dilation 2, same',
    x: [1, 7, 6, 2],
    kernel: [3, 3, 2, 2],
    geometry: { dilations: 2, padding: 'same' },
  },
  {
    name: '3x2, dilations [2, 1], valid',
    x: [2, 7, 5, 1],
    kernel: [3, 2, 1, 3],
    geometry: { dilations: [2, 1] },
  },
  { name: '1x1 (a per-pixel linear layer)', x: [2, 3, 4, 5], kernel: [1, 1, 5, 2], geometry: {} },
];

/**
 * The same kernel undilated: taps spread `dilations` apart with zeros between, so that
 * conv(x, w, dilation d) = conv(x, spread, dilation 1). `taps[k]` is where w's entry k went.
 */
function spreadKernel(w: NDArray, geometry: ConvGeometry): { spread: NDArray; taps: number[] } {
  const [KH, KW, C, F] = w.shape as [number, number, number, number];
  const [dh, dw] =
    typeof geometry.dilations === 'object'
      ? geometry.dilations
      : [geometry.dilations ?? 1, geometry.dilations ?? 1];
  const [SH, SW] = [(KH - 1) * dh + 1, (KW - 1) * dw + 1];
  const spread = ndarray([SH, SW, C, F]);
  const taps: number[] = [];
  for (let p = 0; p < KH; p++)
    for (let q = 0; q < KW; q++)
      for (let c = 0; c < C; c++)
        for (let f = 0; f < F; f++) {
          const at = ((p * dh * SW + q * dw) * C + c) * F + f;
          spread.data[at] = w.data[((p * KW + q) * C + c) * F + f]!;
          taps.push(at);
        }
  return { spread, taps };
}

function tfArgs(geometry: ConvGeometry) {
  return {
    strides: (geometry.strides ?? 1) as number | [number, number],
    pad: geometry.padding ?? 'valid',
    dilations: (geometry.dilations ?? 1) as number | [number, number],
  };
}

describe('conv2dForward: plain loops equal tf.conv2d', () => {
  it('slides a 2x2 kernel of ones over 1..9 (sums of each 2x2 block)', () => {
    const x = ndarray([1, 3, 3, 1], [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const w = ndarray([2, 2, 1, 1], [1, 1, 1, 1]);
    const y = conv2dForward(x, w, ndarray([1], [0.5]));
    expect(y.shape).toEqual([1, 2, 2, 1]);
    expect(Array.from(y.data)).toEqual([12.5, 16.5, 24.5, 28.5]);
  });

  it.each(cases)('$name', ({ x: xShape, kernel, geometry }) => {
    const rng = Rng.fromSeed(1);
    const x = randomNdarray(xShape, rng.fork('x'));
    const w = randomNdarray(kernel, rng.fork('w'), 0.3);
    const b = randomNdarray([kernel[3]], rng.fork('b'));
    const ours = conv2dForward(x, w, b, geometry);
    tf.tidy(() => {
      const { strides, pad, dilations } = tfArgs(geometry);
      const xt = ndarrayToTensor(x) as tf.Tensor4D;
      const wt = ndarrayToTensor(w) as tf.Tensor4D;
      const bt = ndarrayToTensor(b);
      const plain = tf.add(tf.conv2d(xt, wt, strides, pad, 'NHWC', dilations), bt);
      const fused = tf.fused.conv2d({ x: xt, filter: wt, strides, pad, dilations, bias: bt });
      expect(ours.shape).toEqual(plain.shape);
      expect(maxRelativeError(ours.data, plain.dataSync())).toBeLessThan(FORWARD_TOL);
      expect(maxRelativeError(ours.data, fused.dataSync())).toBeLessThan(FORWARD_TOL);
    });
  });

  it('explains mismatched channels and a wrong bias', () => {
    const x = ndarray([1, 4, 4, 3]);
    expect(() => conv2dForward(x, ndarray([3, 3, 2, 1]), null)).toThrow(
      'conv2d: kernel expects 2 input channels, x has 3',
    );
    expect(() => conv2dForward(x, ndarray([3, 3, 3, 2]), ndarray([3]))).toThrow(
      'conv2d: bias has 3 values, expected 2',
    );
    expect(() => conv2dForward(ndarray([4, 4, 3]), ndarray([3, 3, 3, 2]), null)).toThrow(
      'conv2d input x [N, H, W, C]: expected a rank-4 array, got shape [4,4,3]',
    );
  });
});

describe('conv2dBackward: gradients wrt input, kernel and bias', () => {
  it.each(cases)('$name', ({ x: xShape, kernel, geometry }) => {
    const rng = Rng.fromSeed(2);
    const x = randomNdarray(xShape, rng.fork('x'));
    const w = randomNdarray(kernel, rng.fork('w'), 0.3);
    const b = randomNdarray([kernel[3]], rng.fork('b'));
    const yShape = conv2dForward(x, w, b, geometry).shape;
    // Probe loss L = sum(c * y): dL/dy = c.
    const c = randomNdarray(yShape, rng.fork('c'));
    const ours = conv2dBackward(x, w, c, geometry);

    // (a) tfjs autodiff of the same computation. tfjs has no gradient for dilated conv2d
    // ("dilation rates greater than 1 are not yet supported in gradients"), so it runs on the
    // equivalent undilated kernel and the kernel gradient is read back at the taps.
    tf.tidy(() => {
      const { strides, pad } = tfArgs(geometry);
      const { spread, taps } = spreadKernel(w, geometry);
      const ct = ndarrayToTensor(c);
      const [dx, dSpread, db] = tf.grads((xt: tf.Tensor, wt: tf.Tensor, bt: tf.Tensor) =>
        tf.sum(
          tf.mul(ct, tf.add(tf.conv2d(xt as tf.Tensor4D, wt as tf.Tensor4D, strides, pad), bt)),
        ),
      )([ndarrayToTensor(x), ndarrayToTensor(spread), ndarrayToTensor(b)]);
      const dw = taps.map((at) => dSpread!.dataSync()[at]!);
      expect(maxRelativeError(ours.dx.data, dx!.dataSync())).toBeLessThan(AUTODIFF_TOL);
      expect(maxRelativeError(ours.dw.data, dw)).toBeLessThan(AUTODIFF_TOL);
      expect(maxRelativeError(ours.db.data, db!.dataSync())).toBeLessThan(AUTODIFF_TOL);
    });

    // (b) central differences of L in float64.
    const loss = (xs = x, ws = w, bs = b) => dot(conv2dForward(xs, ws, bs, geometry).data, c.data);
    const dx = centralDifferences((v) => loss(ndarray(x.shape, v)), x.data);
    const dw = centralDifferences((v) => loss(x, ndarray(w.shape, v)), w.data);
    const db = centralDifferences((v) => loss(x, w, ndarray(b.shape, v)), b.data);
    expect(maxRelativeError(ours.dx.data, dx)).toBeLessThan(FINITE_DIFF_TOL);
    expect(maxRelativeError(ours.dw.data, dw)).toBeLessThan(FINITE_DIFF_TOL);
    expect(maxRelativeError(ours.db.data, db)).toBeLessThan(FINITE_DIFF_TOL);
  });

  it('explains a dy of the wrong shape', () => {
    expect(() =>
      conv2dBackward(ndarray([1, 4, 4, 1]), ndarray([3, 3, 1, 2]), ndarray([1, 4, 4, 2])),
    ).toThrow("conv2d: dy has shape [1,4,4,2], expected the output's [1,2,2,2]");
  });
});
