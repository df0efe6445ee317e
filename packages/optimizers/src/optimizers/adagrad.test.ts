import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { Parameter } from '@tunelab/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { adagrad } from './adagrad.js';
import { maxDifferenceFromTfTrain, trajectory } from './testing.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('adagrad against numbers computed by hand', () => {
  it('acc <- acc + g^2, w <- w - lr g / (sqrt(acc) + eps)', () => {
    // g = 1: acc = 1,  w1 = 1 - 0.1 * 1 / 1 = 0.9
    // g = 3: acc = 10, w2 = 0.9 - 0.1 * 3 / sqrt(10) = 0.9 - 0.09486833 = 0.80513167
    const w = trajectory(adagrad({ lr: 0.1 }), 1, [1, 3]);
    expect(w[0]).toBeCloseTo(0.9, 6);
    expect(w[1]).toBeCloseTo(0.80513167, 6);
  });

  it('constant gradient follows the closed form w_t = w_0 - lr sum_i 1 / sqrt(i)', () => {
    // g = 2: acc_t = 4 t, each step lr * 2 / sqrt(4 t) = lr / sqrt(t)
    const lr = 0.05;
    const w = trajectory(adagrad({ lr }), 0, Array(12).fill(2));
    let expected = 0;
    w.forEach((value, t) => {
      expected -= lr / Math.sqrt(t + 1);
      expect(value).toBeCloseTo(expected, 6);
    });
  });

  it('the tfjs-compatible setting: accumulator from 0.1, sqrt(acc + 1e-7)', () => {
    // g = 1: acc = 1.1, w1 = 1 - 0.1 / sqrt(1.1000001) = 1 - 0.09534625 = 0.90465375
    const opt = adagrad({
      lr: 0.1,
      initialAccumulatorValue: 0.1,
      epsilon: 1e-7,
      epsilonPlacement: 'inside',
    });
    expect(trajectory(opt, 1, [1])[0]).toBeCloseTo(0.90465375, 6);
  });

  it('rejects bad hyperparameters with the value received', () => {
    expect(() => adagrad({ initialAccumulatorValue: -1 })).toThrow(
      'adagrad: initialAccumulatorValue must be a non-negative number, got -1',
    );
    expect(() => adagrad({ epsilon: -1e-7 })).toThrow(
      'adagrad: epsilon must be a positive number, got -1e-7',
    );
  });

  it('leaks no tensors over updates, setState and dispose', () => {
    const before = tf.memory().numTensors;
    const p = new Parameter(tf.tensor2d([1, 2, 3, 4], [2, 2]));
    const opt = adagrad({ lr: 0.1, initialAccumulatorValue: 0.1 });
    const g = tf.onesLike(p.variable);
    for (let i = 0; i < 3; i++) opt.applyGradients([[p, g]]);
    const other = adagrad({ lr: 0.1 });
    other.setState(opt.getState());
    // acc after 3 steps from 0.1 with g = 1: 0.1 + 3 = 3.1
    expect(other.getState().slots.get(p)!.accumulator!.dataSync()[0]).toBeCloseTo(3.1, 6);
    tf.dispose(g);
    p.dispose();
    opt.dispose();
    other.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('adagrad against tf.train.adagrad on the same gradients', () => {
  it('equals it with its initial accumulator 0.1 and epsilon 1e-7 inside the root', () => {
    const ours = adagrad({
      lr: 0.05,
      initialAccumulatorValue: 0.1,
      epsilon: 1e-7,
      epsilonPlacement: 'inside',
    });
    expect(maxDifferenceFromTfTrain(ours, tf.train.adagrad(0.05))).toBeLessThan(1e-6);
  });

  it('differs from it with our defaults (accumulator from 0): the first step is lr * sign(g)', () => {
    expect(maxDifferenceFromTfTrain(adagrad({ lr: 0.05 }), tf.train.adagrad(0.05))).toBeGreaterThan(
      1e-3,
    );
  });
});
