import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { gradientsRegistered, Rng } from '@tunelab/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Linear } from '../layers/linear.js';
import { centralDifferences, dot, maxRelativeError } from './gradient-check.js';
import { linearBackward, linearForward, matMul, transpose } from './linear.js';
import { ndarray, ndarrayFromTensor, ndarrayToTensor, randomNdarray } from './ndarray.js';

// Tolerances. The reference computes in float64 from the same float32 inputs the library
// gets, so all disagreement is tfjs's float32 rounding: unit roundoff 6e-8 per operation,
// a few dozen operations per output here. Errors are measured by maxRelativeError, i.e.
// relative to max(1, |value|): float32 keeps about 7 significant digits, so an absolute 1e-6
// is only attainable for values below 1.
// - forward vs library: 1e-6 (the bar; seen: 2e-7);
// - gradients vs tfjs autodiff: 1e-5 (sums over the batch and the features; seen: 3e-8);
// - gradients vs central differences (float64, h = 1e-3): the probe loss is linear in every
//   input, so the truncation error is zero and only rounding, ~1e-16 * |L| / h, is left:
//   1e-8 leaves plenty of room (seen: 5e-13).
const FORWARD_TOL = 1e-6;
const AUTODIFF_TOL = 1e-5;
const FINITE_DIFF_TOL = 1e-8;

beforeAll(async () => {
  await tf.setBackend('cpu');
  expect(gradientsRegistered).toBe(true);
});

describe('matMul and transpose', () => {
  it('compute C[i, j] = sum_k A[i, k] B[k, j] and T[j, i] = A[i, j]', () => {
    const a = ndarray([2, 2], [1, 2, 3, 4]);
    const b = ndarray([2, 2], [5, 6, 7, 8]);
    expect(Array.from(matMul(a, b).data)).toEqual([19, 22, 43, 50]);
    expect(transpose(ndarray([2, 3], [1, 2, 3, 4, 5, 6]))).toEqual(
      ndarray([3, 2], [1, 4, 2, 5, 3, 6]),
    );
    expect(() => matMul(a, ndarray([3, 1]))).toThrow('matMul: [2,2] x [3,1]: inner sizes differ');
  });
});

describe('linearForward: y = x W + b as one matrix product', () => {
  it('equals tunelab Linear and tf.matMul on the same weights to 1e-6', () => {
    const layer = new Linear({
      inputs: 20,
      outputs: 7,
      rng: Rng.fromSeed(1),
      biasInit: (n) => Rng.fromSeed(9).normalArray(n),
    });
    const x = randomNdarray([6, 20], Rng.fromSeed(2));
    const w = ndarrayFromTensor(layer.weight.variable);
    const b = ndarrayFromTensor(layer.bias!.variable);
    const ours = linearForward(x, w, b);

    const xt = ndarrayToTensor(x) as tf.Tensor2D;
    const viaLayer = layer.forward(xt);
    const viaMatMul = tf.add(
      tf.matMul(xt, layer.weight.variable as tf.Tensor2D),
      layer.bias!.variable,
    );
    expect(ours.shape).toEqual([6, 7]);
    expect(maxRelativeError(ours.data, viaLayer.dataSync())).toBeLessThan(FORWARD_TOL);
    expect(maxRelativeError(ours.data, viaMatMul.dataSync())).toBeLessThan(FORWARD_TOL);
    expect(
      maxRelativeError(
        linearForward(x, w, null).data,
        tf.matMul(xt, layer.weight.variable as tf.Tensor2D).dataSync(),
      ),
    ).toBeLessThan(FORWARD_TOL);
    tf.dispose([xt, viaLayer, viaMatMul]);
    layer.dispose();
  });

  it('explains a bias of the wrong size', () => {
    expect(() => linearForward(ndarray([1, 2]), ndarray([2, 3]), ndarray([2]))).toThrow(
      'linear: bias has 2 values, expected 3',
    );
  });
});

describe('linearBackward: dx = dy W^T, dW = x^T dy, db = sum_n dy', () => {
  const rng = Rng.fromSeed(3);
  const x = randomNdarray([5, 4], rng.fork('x'));
  const w = randomNdarray([4, 3], rng.fork('w'));
  const b = randomNdarray([3], rng.fork('b'));
  // Probe loss L = sum(c * y): dL/dy = c.
  const c = randomNdarray([5, 3], rng.fork('c'));
  const ours = linearBackward(x, w, c);

  it('agrees with tfjs autodiff', () => {
    const [dx, dw, db] = tf.grads((xt: tf.Tensor, wt: tf.Tensor, bt: tf.Tensor) =>
      tf.sum(
        tf.mul(ndarrayToTensor(c), tf.add(tf.matMul(xt as tf.Tensor2D, wt as tf.Tensor2D), bt)),
      ),
    )([ndarrayToTensor(x), ndarrayToTensor(w), ndarrayToTensor(b)]);
    expect(maxRelativeError(ours.dx.data, dx!.dataSync())).toBeLessThan(AUTODIFF_TOL);
    expect(maxRelativeError(ours.dw.data, dw!.dataSync())).toBeLessThan(AUTODIFF_TOL);
    expect(maxRelativeError(ours.db.data, db!.dataSync())).toBeLessThan(AUTODIFF_TOL);
    expect(ours.dx.shape).toEqual([5, 4]);
    expect(ours.dw.shape).toEqual([4, 3]);
    expect(ours.db.shape).toEqual([3]);
  });

  it('agrees with central differences', () => {
    const loss = (xs = x, ws = w, bs = b) => dot(linearForward(xs, ws, bs).data, c.data);
    const dx = centralDifferences((v) => loss(ndarray(x.shape, v)), x.data);
    const dw = centralDifferences((v) => loss(x, ndarray(w.shape, v)), w.data);
    const db = centralDifferences((v) => loss(x, w, ndarray(b.shape, v)), b.data);
    expect(maxRelativeError(ours.dx.data, dx)).toBeLessThan(FINITE_DIFF_TOL);
    expect(maxRelativeError(ours.dw.data, dw)).toBeLessThan(FINITE_DIFF_TOL);
    expect(maxRelativeError(ours.db.data, db)).toBeLessThan(FINITE_DIFF_TOL);
  });
});
