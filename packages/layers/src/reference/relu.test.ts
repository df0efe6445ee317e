import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { gradientsRegistered, Rng } from '@tunelab/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { centralDifferences, dot, maxAbsDifference } from './gradient-check.js';
import { ndarray, ndarrayToTensor, randomNdarray } from './ndarray.js';
import { reluBackward, reluForward } from './relu.js';

// ReLU only copies or zeroes numbers, so the forward pass and the gradient agree with tfjs
// exactly. Central differences are exact too (the probe loss is linear on each side of the
// kink) once no input lies within h of 0; only float64 rounding, ~1e-16 * |L| / h, remains.
const FINITE_DIFF_TOL = 1e-9;

beforeAll(async () => {
  await tf.setBackend('cpu');
  expect(gradientsRegistered).toBe(true);
});

describe('ReLU: y = max(0, x), dx = dy * [x > 0]', () => {
  const rng = Rng.fromSeed(4);
  // Inputs at least 0.01 from the kink, so x +- h never crosses it.
  const x = randomNdarray([3, 4, 5], rng.fork('x'));
  x.data.forEach((v, i) => {
    if (Math.abs(v) < 0.01) x.data[i] = 0.5;
  });
  const c = randomNdarray(x.shape, rng.fork('c'));

  it('equals tf.relu and its gradient', () => {
    tf.tidy(() => {
      const ct = ndarrayToTensor(c);
      expect(maxAbsDifference(reluForward(x).data, tf.relu(ndarrayToTensor(x)).dataSync())).toBe(0);
      const [dx] = tf.grads((xt: tf.Tensor) => tf.sum(tf.mul(ct, tf.relu(xt))))([
        ndarrayToTensor(x),
      ]);
      // (tfjs gives -0 where we give 0: dy * 0 keeps dy's sign.)
      expect(maxAbsDifference(reluBackward(x, c).data, dx!.dataSync())).toBe(0);
    });
  });

  it('agrees with central differences away from 0', () => {
    const numeric = centralDifferences(
      (v) => dot(reluForward(ndarray(x.shape, v)).data, c.data),
      x.data,
    );
    expect(maxAbsDifference(reluBackward(x, c).data, numeric)).toBeLessThan(FINITE_DIFF_TOL);
  });

  it('takes the derivative at exactly 0 to be 0, as tfjs does', () => {
    const zero = ndarray([3], [-1, 0, 1]);
    const dy = ndarray([3], [5, 5, 5]);
    expect(Array.from(reluBackward(zero, dy).data)).toEqual([0, 0, 5]);
    const [dx] = tf.grads((xt: tf.Tensor) => tf.sum(tf.mul(tf.tensor1d([5, 5, 5]), tf.relu(xt))))([
      tf.tensor1d([-1, 0, 1]),
    ]);
    expect(maxAbsDifference(dx!.dataSync(), [0, 0, 5])).toBe(0);
  });
});
