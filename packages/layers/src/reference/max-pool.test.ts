import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { gradientsRegistered, Rng } from '@tunelab/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { centralDifferences, dot, maxAbsDifference } from './gradient-check.js';
import { maxPoolBackward, maxPoolForward, type PoolGeometry } from './max-pool.js';
import { type NDArray, ndarray, ndarrayToTensor, randomNdarray } from './ndarray.js';

// Max pooling only selects and adds numbers, so it matches tfjs to float32 rounding of the
// sums of dy where windows overlap (1e-6 covers it; most entries are exactly equal).
// Central differences are exact (no truncation: the probe loss is linear near x) provided no
// two values of a window are within 2h of each other; the inputs below are distinct multiples
// of 1/16, so only float64 rounding, ~1e-16 * |L| / h, is left.
const TFJS_TOL = 1e-6;
const FINITE_DIFF_TOL = 1e-9;

beforeAll(async () => {
  await tf.setBackend('cpu');
  expect(gradientsRegistered).toBe(true);
});

/** Distinct multiples of 1/16 (exact in float32) in random order: no ties, no near-ties. */
function distinctValues(shape: number[], rng: Rng): NDArray {
  const size = shape.reduce((a, b) => a * b, 1);
  const order = rng.permutation(size);
  return ndarray(
    shape,
    Array.from(order, (k) => (k - size / 2) / 16),
  );
}

const cases: Array<{ name: string; x: number[]; geometry: PoolGeometry }> = [
  { name: '2x2, stride 2, valid', x: [2, 4, 6, 3], geometry: { poolSize: 2 } },
  {
    name: '3x3, stride 2, valid (overlapping windows)',
    x: [1, 7, 7, 2],
    geometry: { poolSize: 3, strides: 2 },
  },
  {
    name: '3x3, stride 1, same (overlapping, padded)',
    x: [1, 5, 4, 2],
    geometry: { poolSize: 3, strides: 1, padding: 'same' },
  },
  {
    name: '2x3, strides [2, 1], same on odd sizes',
    x: [2, 5, 5, 1],
    geometry: { poolSize: [2, 3], strides: [2, 1], padding: 'same' },
  },
];

describe('maxPoolForward / maxPoolBackward', () => {
  it('takes the max of each 2x2 block and routes dy to it', () => {
    // prettier-ignore
    const x = ndarray([1, 4, 4, 1], [1, 2, 0, 0, 4, 3, 0, 9, 5, 0, 7, 7, 0, 6, 7, 1]);
    expect(Array.from(maxPoolForward(x, { poolSize: 2 }).data)).toEqual([4, 9, 6, 7]);
    const dx = maxPoolBackward(x, ndarray([1, 2, 2, 1], [10, 20, 30, 40]), { poolSize: 2 });
    // The bottom-right window has three 7s: the first in row-major order gets dy.
    expect(Array.from(dx.data)).toEqual([0, 0, 0, 0, 10, 0, 0, 20, 0, 0, 40, 0, 0, 30, 0, 0]);
  });

  it("ignores 'same' padding instead of reading zeros (all-negative input stays negative)", () => {
    const x = ndarray([1, 3, 3, 1], [-9, -8, -7, -6, -5, -4, -3, -2, -1]);
    const y = maxPoolForward(x, { poolSize: 2, padding: 'same' });
    expect(Array.from(y.data)).toEqual([-5, -4, -2, -1]);
    const yt = tf.maxPool(ndarrayToTensor(x) as tf.Tensor4D, 2, 2, 'same');
    expect(Array.from(yt.dataSync())).toEqual([-5, -4, -2, -1]);
    yt.dispose();
  });

  describe.each(cases)('$name', ({ x: shape, geometry }) => {
    const rng = Rng.fromSeed(7);
    const x = distinctValues(shape, rng.fork('x'));
    const y = maxPoolForward(x, geometry);
    const c = randomNdarray(y.shape, rng.fork('c'));
    const dx = maxPoolBackward(x, c, geometry);
    const tfArgs = [
      geometry.poolSize,
      geometry.strides ?? geometry.poolSize,
      geometry.padding ?? 'valid',
    ] as const;

    it('equals tf.maxPool and tfjs autodiff', () => {
      tf.tidy(() => {
        const ct = ndarrayToTensor(c);
        const pool = (xt: tf.Tensor) =>
          tf.maxPool(xt as tf.Tensor4D, ...(tfArgs as [number, number, 'same']));
        expect(y.shape).toEqual(pool(ndarrayToTensor(x)).shape);
        expect(maxAbsDifference(y.data, pool(ndarrayToTensor(x)).dataSync())).toBe(0);
        const [grad] = tf.grads((xt: tf.Tensor) => tf.sum(tf.mul(ct, pool(xt))))([
          ndarrayToTensor(x),
        ]);
        expect(maxAbsDifference(dx.data, grad!.dataSync())).toBeLessThan(TFJS_TOL);
      });
    });

    it('agrees with central differences', () => {
      const numeric = centralDifferences(
        (v) => dot(maxPoolForward(ndarray(x.shape, v), geometry).data, c.data),
        x.data,
      );
      expect(maxAbsDifference(dx.data, numeric)).toBeLessThan(FINITE_DIFF_TOL);
    });
  });

  it('breaks ties like tfjs (first in row-major order), where central differences split them', () => {
    // Overlapping 2x2 windows, stride 1, over a plateau of equal values with one larger.
    const x = ndarray([1, 3, 3, 1], [1, 1, 1, 1, 1, 1, 1, 1, 3]);
    const geometry: PoolGeometry = { poolSize: 2, strides: 1 };
    const dy = ndarray([1, 2, 2, 1], [1, 2, 4, 8]);
    const ours = maxPoolBackward(x, dy, geometry);
    // Windows at (0,0), (0,1), (1,0) are all ties: their top-left cells x[0,0], x[0,1],
    // x[1,0] get 1, 2, 4. The window at (1,1) holds the 3.
    expect(Array.from(ours.data)).toEqual([1, 2, 0, 4, 0, 0, 0, 0, 8]);
    tf.tidy(() => {
      const [grad] = tf.grads((xt: tf.Tensor) =>
        tf.sum(tf.mul(ndarrayToTensor(dy), tf.maxPool(xt as tf.Tensor4D, 2, 1, 'valid'))),
      )([ndarrayToTensor(x)]);
      expect(Array.from(grad!.dataSync())).toEqual(Array.from(ours.data));
    });
    // At a tie the max is not differentiable: nudging x[0,0] up by h raises its window's max
    // by h, nudging it down leaves the max at 1, so the central difference is half of that
    // window's dy (1) rather than all or nothing.
    const numeric = centralDifferences(
      (v) => dot(maxPoolForward(ndarray(x.shape, v), geometry).data, dy.data),
      x.data,
    );
    expect(numeric[0]).toBeCloseTo(0.5, 9);
  });

  it('explains a dy of the wrong shape', () => {
    expect(() =>
      maxPoolBackward(ndarray([1, 4, 4, 1]), ndarray([1, 4, 4, 1]), { poolSize: 2 }),
    ).toThrow("max pool: dy has shape [1,4,4,1], expected the output's [1,2,2,1]");
  });
});
