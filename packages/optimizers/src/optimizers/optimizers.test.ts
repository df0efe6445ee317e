import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { Parameter } from '@tunelab/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { adam, adamw } from './adam.js';
import { momentum, nesterov, sgd } from './sgd.js';
import { maxDifferenceFromTfTrain, trajectory } from './testing.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('optimizers against numbers computed by hand', () => {
  it('SGD: w <- w - lr * grad', () => {
    // 1 - 0.1*0.5 = 0.95; 0.95 - 0.1*(-1) = 1.05
    const w = trajectory(sgd({ lr: 0.1 }), 1, [0.5, -1]);
    expect(w[0]).toBeCloseTo(0.95, 7);
    expect(w[1]).toBeCloseTo(1.05, 7);
  });

  it('SGD on f(w) = a w^2 / 2 follows the closed form w_t = (1 - lr a)^t w_0', () => {
    const a = 3;
    const lr = 0.1;
    const opt = sgd({ lr });
    const p = new Parameter(tf.scalar(2));
    for (let t = 1; t <= 10; t++) {
      const grad = tf.mul(p.variable, a) as tf.Scalar; // f'(w) = a w
      opt.applyGradients([[p, grad]]);
      grad.dispose();
      expect(p.variable.dataSync()[0]).toBeCloseTo((1 - lr * a) ** t * 2, 6);
    }
  });

  it('momentum: v <- 0.9 v + g, w <- w - lr v, with g = 1: 0.9, 0.71, 0.439', () => {
    const w = trajectory(momentum({ lr: 0.1 }), 1, [1, 1, 1]);
    [0.9, 0.71, 0.439].forEach((v, i) => {
      expect(w[i]).toBeCloseTo(v, 6);
    });
  });

  it('Nesterov: w <- w - lr (g + mu v), with g = 1: 0.81, 0.539', () => {
    const w = trajectory(nesterov({ lr: 0.1 }), 1, [1, 1]);
    [0.81, 0.539].forEach((v, i) => {
      expect(w[i]).toBeCloseTo(v, 6);
    });
  });

  it('Adam: bias-corrected first step moves by lr whatever the gradient scale; second step by hand', () => {
    expect(trajectory(adam({ lr: 0.1 }), 1, [1])[0]).toBeCloseTo(0.9, 6);
    expect(trajectory(adam({ lr: 0.1 }), 1, [250])[0]).toBeCloseTo(0.9, 6);
    // g = 1 then 3: m2 = 0.39, v2 = 0.009999, m_hat = 0.39/0.19, v_hat = 0.009999/0.001999
    // w2 = 0.9 - 0.1 * 2.0526316 / (2.2365149 + 1e-8) = 0.80822189
    expect(trajectory(adam({ lr: 0.1 }), 1, [1, 3])[1]).toBeCloseTo(0.80822189, 6);
  });

  it('AdamW decays the weight outside the adaptive step: 0.89, then 0.7811', () => {
    const w = trajectory(adamw({ lr: 0.1, weightDecay: 0.1 }), 1, [1, 1]);
    expect(w[0]).toBeCloseTo(0.89, 6);
    expect(w[1]).toBeCloseTo(0.7811, 6);
  });

  it('L2 weight decay adds wd * w to the gradient', () => {
    // g' = 0.5 + 0.2 * 1 = 0.7; w = 1 - 0.1 * 0.7 = 0.93
    expect(trajectory(sgd({ lr: 0.1, weightDecay: 0.2 }), 1, [0.5])[0]).toBeCloseTo(0.93, 6);
  });

  it('clips by global norm and by value', () => {
    const a = new Parameter(tf.scalar(0));
    const b = new Parameter(tf.scalar(0));
    // grads (3, 4): norm 5 -> scaled to norm 1: (0.6, 0.8)
    sgd({ lr: 1, clipNorm: 1 }).applyGradients([
      [a, tf.scalar(3)],
      [b, tf.scalar(4)],
    ]);
    expect(a.variable.dataSync()[0]).toBeCloseTo(-0.6, 6);
    expect(b.variable.dataSync()[0]).toBeCloseTo(-0.8, 6);
    // within the bound: unchanged gradient
    sgd({ lr: 1, clipNorm: 10 }).applyGradients([[a, tf.scalar(3)]]);
    expect(a.variable.dataSync()[0]).toBeCloseTo(-3.6, 6);
    sgd({ lr: 1, clipValue: 0.5 }).applyGradients([[b, tf.scalar(-7)]]);
    expect(b.variable.dataSync()[0]).toBeCloseTo(-0.3, 6);
  });

  it('skips frozen parameters', () => {
    const p = new Parameter(tf.scalar(1), false);
    const opt = adam({ lr: 0.1 });
    opt.applyGradients([[p, tf.scalar(1)]]);
    expect(p.variable.dataSync()[0]).toBe(1);
    expect(opt.getState().slots.size).toBe(0);
  });

  it('rejects bad hyperparameters with the value received', () => {
    expect(() => sgd({ lr: -1 })).toThrow('optimizer: lr must be a non-negative number, got -1');
    expect(() => sgd({ lr: 0.1, momentum: 1 })).toThrow('sgd: momentum must be in [0, 1), got 1');
    expect(() => sgd({ lr: 0.1, nesterov: true })).toThrow('sgd: nesterov needs momentum > 0');
    expect(() => adam({ beta2: 1.5 })).toThrow('adam: beta2 must be in [0, 1), got 1.5');
  });
});

describe('optimizers against tf.train on the same gradients', () => {
  it('sgd equals tf.train.sgd', () => {
    expect(maxDifferenceFromTfTrain(sgd({ lr: 0.05 }), tf.train.sgd(0.05))).toBeLessThan(1e-6);
  });
  it('momentum equals tf.train.momentum', () => {
    expect(
      maxDifferenceFromTfTrain(momentum({ lr: 0.05, momentum: 0.8 }), tf.train.momentum(0.05, 0.8)),
    ).toBeLessThan(1e-6);
  });
  it('nesterov equals tf.train.momentum with useNesterov', () => {
    expect(
      maxDifferenceFromTfTrain(
        nesterov({ lr: 0.05, momentum: 0.8 }),
        tf.train.momentum(0.05, 0.8, true),
      ),
    ).toBeLessThan(1e-6);
  });
  it('adam equals tf.train.adam with the same epsilon', () => {
    // tf.train.adam defaults epsilon to the backend epsilon (1e-7); ours to the paper's 1e-8.
    expect(
      maxDifferenceFromTfTrain(
        adam({ lr: 0.01, beta1: 0.85, beta2: 0.99, epsilon: 1e-7 }),
        tf.train.adam(0.01, 0.85, 0.99, 1e-7),
      ),
    ).toBeLessThan(1e-6);
  });
});

describe('optimizer state', () => {
  it('resumes from saved state with the same next update as an uninterrupted run', () => {
    const grads = [0.3, -1.2, 0.7, 2.0];
    const full = new Parameter(tf.scalar(1));
    const fullOpt = adam({ lr: 0.05 });
    for (const g of grads) fullOpt.applyGradients([[full, tf.scalar(g)]]);

    const part = new Parameter(tf.scalar(1));
    const partOpt = adam({ lr: 0.05 });
    for (const g of grads.slice(0, 2)) partOpt.applyGradients([[part, tf.scalar(g)]]);
    const saved = partOpt.getState();

    const resumedOpt = adam({ lr: 0.05 });
    resumedOpt.setState(saved);
    partOpt.dispose(); // the resumed optimizer owns copies
    expect(resumedOpt.iterations).toBe(2);
    for (const g of grads.slice(2)) resumedOpt.applyGradients([[part, tf.scalar(g)]]);
    expect(part.variable.dataSync()[0]).toBe(full.variable.dataSync()[0]);
  });
});
