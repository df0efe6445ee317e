import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { Parameter } from '@tunelab/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { rmsprop } from './rmsprop.js';
import { maxDifferenceFromTfTrain, trajectory } from './testing.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('rmsprop against numbers computed by hand', () => {
  it('plain: ms <- 0.9 ms + 0.1 g^2, w <- w - lr g / (sqrt(ms) + eps)', () => {
    // g = 1: ms1 = 0.1,  w1 = 1 - 0.1 / sqrt(0.1) = 1 - 0.31622777 = 0.68377223
    //        ms2 = 0.09 + 0.1 = 0.19,  w2 = w1 - 0.1 / sqrt(0.19) = w1 - 0.22941573 = 0.45435650
    const w = trajectory(rmsprop({ lr: 0.1 }), 1, [1, 1]);
    expect(w[0]).toBeCloseTo(0.68377223, 6);
    expect(w[1]).toBeCloseTo(0.4543565, 6);
  });

  it('constant gradient follows the closed form w_t = w_0 - lr sum_i 1 / sqrt(1 - rho^i)', () => {
    // With g = 1, ms_t = 1 - rho^t (a geometric sum), so every step is lr / sqrt(1 - rho^t).
    const rho = 0.8;
    const lr = 0.01;
    const w = trajectory(rmsprop({ lr, rho, epsilon: 1e-12 }), 0, Array(10).fill(1));
    let expected = 0;
    w.forEach((value, i) => {
      expected -= lr / Math.sqrt(1 - rho ** (i + 1));
      expect(value).toBeCloseTo(expected, 5);
    });
  });

  it("epsilon 'inside' divides by sqrt(ms + eps), 'outside' by sqrt(ms) + eps", () => {
    // g = 1, eps = 0.01, ms = 0.1: inside 1 - 0.1 / sqrt(0.11) = 0.69848866,
    // outside 1 - 0.1 / (0.31622777 + 0.01) = 0.69346570
    const inside = rmsprop({ lr: 0.1, epsilon: 0.01, epsilonPlacement: 'inside' });
    const outside = rmsprop({ lr: 0.1, epsilon: 0.01 });
    expect(trajectory(inside, 1, [1])[0]).toBeCloseTo(0.69848866, 6);
    expect(trajectory(outside, 1, [1])[0]).toBeCloseTo(0.6934657, 6);
  });

  it('momentum: b <- mu b + g / denom, w <- w - lr b', () => {
    // mu = 0.5, g = 1: b1 = 1 / sqrt(0.1) = 3.16227766, w1 = 1 - 0.316227766 = 0.68377223
    // b2 = 0.5 * 3.16227766 + 1 / sqrt(0.19) = 1.58113883 + 2.29415734 = 3.87529617
    // w2 = 0.68377223 - 0.387529617 = 0.29624262
    const w = trajectory(rmsprop({ lr: 0.1, momentum: 0.5 }), 1, [1, 1]);
    expect(w[0]).toBeCloseTo(0.68377223, 6);
    expect(w[1]).toBeCloseTo(0.29624262, 6);
  });

  it('centered: divides by sqrt(ms - mg^2) + eps', () => {
    // g = 1: ms = 0.1, mg = 0.1, s = 0.1 - 0.01 = 0.09, w1 = 1 - 0.1 / 0.3 = 0.66666667
    // g = 3: ms = 0.09 + 0.9 = 0.99, mg = 0.09 + 0.3 = 0.39, s = 0.99 - 0.1521 = 0.8379,
    //        w2 = w1 - 0.1 * 3 / sqrt(0.8379) = 0.66666667 - 0.32773676 = 0.33892990
    const w = trajectory(rmsprop({ lr: 0.1, centered: true }), 1, [1, 3]);
    expect(w[0]).toBeCloseTo(0.66666667, 6);
    expect(w[1]).toBeCloseTo(0.3389299, 5);
  });

  it('rejects bad hyperparameters with the value received', () => {
    expect(() => rmsprop({ rho: 1 })).toThrow('rmsprop: rho must be in [0, 1), got 1');
    expect(() => rmsprop({ momentum: -0.1 })).toThrow(
      'rmsprop: momentum must be in [0, 1), got -0.1',
    );
    expect(() => rmsprop({ epsilon: 0 })).toThrow(
      'rmsprop: epsilon must be a positive number, got 0',
    );
    expect(() => rmsprop({ epsilonPlacement: 'around' as 'inside' })).toThrow(
      "rmsprop: epsilonPlacement must be 'outside' or 'inside', got around",
    );
  });
});

describe('rmsprop against tf.train.rmsprop on the same gradients', () => {
  it("equals it with epsilon 1e-7 'inside'", () => {
    const ours = rmsprop({ lr: 0.01, rho: 0.8, epsilon: 1e-7, epsilonPlacement: 'inside' });
    expect(maxDifferenceFromTfTrain(ours, tf.train.rmsprop(0.01, 0.8, 0, 1e-7))).toBeLessThan(1e-6);
  });

  it('equals it with momentum at a constant learning rate (where lr sits in the buffer does not matter)', () => {
    const ours = rmsprop({
      lr: 0.01,
      rho: 0.8,
      momentum: 0.7,
      epsilon: 1e-7,
      epsilonPlacement: 'inside',
    });
    expect(maxDifferenceFromTfTrain(ours, tf.train.rmsprop(0.01, 0.8, 0.7, 1e-7))).toBeLessThan(
      1e-6,
    );
  });

  it('centered equals it when epsilon is negligible (tf.train subtracts epsilon, we add it)', () => {
    const ours = rmsprop({
      lr: 0.01,
      rho: 0.8,
      centered: true,
      epsilon: 1e-12,
      epsilonPlacement: 'inside',
    });
    expect(
      maxDifferenceFromTfTrain(ours, tf.train.rmsprop(0.01, 0.8, 0, 1e-12, true)),
    ).toBeLessThan(1e-6);
  });

  it('state round-trips through getState / setState and leaks no tensors', () => {
    const before = tf.memory().numTensors;
    const p = new Parameter(tf.tensor1d([1, -2]));
    const opt = rmsprop({ lr: 0.1, momentum: 0.5, centered: true });
    const g = tf.tensor1d([0.5, 2]);
    opt.applyGradients([[p, g]]);
    expect(Object.keys(opt.getState().slots.get(p)!)).toEqual(['ms', 'mg', 'momentum']);
    const copy = rmsprop({ lr: 0.1, momentum: 0.5, centered: true });
    copy.setState(opt.getState());
    opt.setState(opt.getState()); // its own state: copies are made before the old are freed
    const q = new Parameter(tf.clone(p.variable));
    // setState keys slots by Parameter: move copy's state to q to compare next updates.
    copy.setState({ iterations: 1, slots: new Map([[q, copy.getState().slots.get(p)!]]) });
    opt.applyGradients([[p, g]]);
    copy.applyGradients([[q, g]]);
    expect(Array.from(q.variable.dataSync())).toEqual(Array.from(p.variable.dataSync()));
    tf.dispose([g]);
    p.dispose();
    q.dispose();
    opt.dispose();
    copy.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
