import { describe, expect, it } from 'vitest';
import type { StoppingCriterion } from './criterion.js';
import {
  generalizationLoss,
  glCriterion,
  pqCriterion,
  trainingProgress,
  upCriterion,
} from './prechelt.js';

/** 1-based epoch at which the criterion first fires, or null. */
function firstStop(c: StoppingCriterion, validation: number[], training?: number[]) {
  for (let i = 0; i < validation.length; i++)
    if (c.update(validation[i]!, training?.[i]) !== null) return i + 1;
  return null;
}

describe('the measures', () => {
  it('GL(t) = 100 (E_va / E_opt - 1); P_k = 1000 (sum / (k min) - 1)', () => {
    expect(generalizationLoss(0.55, 0.5)).toBeCloseTo(10, 10); // 100 * (1.1 - 1)
    expect(generalizationLoss(0.5, 0.5)).toBe(0);
    expect(generalizationLoss(0.1, 0)).toBe(Infinity);
    // sum 4.3, k * min = 5 * 0.8 = 4: 1000 * (1.075 - 1) = 75
    expect(trainingProgress([1, 0.9, 0.8, 0.8, 0.8])).toBeCloseTo(75, 10);
    expect(trainingProgress([0.3, 0.3])).toBe(0);
  });
});

describe('GL_alpha', () => {
  // epoch:   1    2    3    4    5     6     7     8     9
  const va = [1.0, 0.8, 0.6, 0.5, 0.52, 0.55, 0.49, 0.53, 0.56];
  // E_opt:   1    .8   .6   .5   .5    .5    .49   .49   .49
  // GL:      0    0    0    0    4     10    0     8.16  14.29
  //   (0.52/0.5 = 1.04; 0.55/0.5 = 1.1; 0.53/0.49 = 1.0816; 0.56/0.49 = 1.1429)
  it('stops after the first epoch with GL > alpha', () => {
    expect(firstStop(glCriterion(3), va)).toBe(5);
    expect(firstStop(glCriterion(5), va)).toBe(6);
    expect(firstStop(glCriterion(12), va)).toBe(9);
    expect(firstStop(glCriterion(20), va)).toBe(null);
  });

  it('says why', () => {
    const c = glCriterion(5);
    for (const e of va.slice(0, 5)) c.update(e);
    expect(c.name).toBe('GL_5');
    expect(c.update(0.55)).toBe('GL = 10 > 5');
  });

  it('counts a NaN (diverged) epoch as infinitely bad, rejects a negative error', () => {
    expect(firstStop(glCriterion(100), [0.5, Number.NaN])).toBe(2);
    expect(() => glCriterion(5).update(-1)).toThrow(
      'stopping criterion: errors must be >= 0, got -1',
    );
  });
});

describe('PQ_alpha', () => {
  // epoch:   1    2    3    4    5     6     7      8
  const tr = [1.0, 0.8, 0.6, 0.5, 0.45, 0.44, 0.435, 0.43];
  const va = [1.0, 0.8, 0.7, 0.6, 0.62, 0.66, 0.65, 0.7];
  // k = 2, checked at epochs 2, 4, 6, 8 (E_opt = 0.6 from epoch 4):
  //   t = 2, 4: GL = 0, so PQ = 0
  //   t = 6: GL = 100 (0.66 / 0.6 - 1) = 10; P_2 = 1000 (0.89 / 0.88 - 1) = 11.364; PQ = 0.88
  //   t = 8: GL = 100 (0.7 / 0.6 - 1) = 16.667; P_2 = 1000 (0.865 / 0.86 - 1) = 5.814; PQ = 2.867
  it('stops at the first strip end with GL / P_k > alpha', () => {
    expect(firstStop(pqCriterion({ alpha: 0.5, k: 2 }), va, tr)).toBe(6);
    expect(firstStop(pqCriterion({ alpha: 1, k: 2 }), va, tr)).toBe(8);
    expect(firstStop(pqCriterion({ alpha: 3, k: 2 }), va, tr)).toBe(null);
  });

  it('needs training errors and says so', () => {
    expect(() => pqCriterion({ alpha: 1, k: 2 }).update(0.5)).toThrow(
      'PQ_1 (k = 2): needs the training error of every epoch, got none at epoch 1',
    );
    expect(() => pqCriterion({ alpha: 1, k: 0 })).toThrow(
      'PQ: k must be a positive integer, got 0',
    );
  });
});

describe('UP_s', () => {
  // epoch:   1    2    3    4    5     6     7     8     9     10    11    12
  const va = [1.0, 0.9, 0.8, 0.7, 0.72, 0.75, 0.74, 0.73, 0.76, 0.78, 0.77, 0.8];
  it('k = 2: strip ends 0.9, 0.7 (down), 0.75 (up 1), 0.73 (down), 0.78 (up 1), 0.8 (up 2)', () => {
    expect(firstStop(upCriterion({ s: 1, k: 2 }), va)).toBe(6);
    expect(firstStop(upCriterion({ s: 2, k: 2 }), va)).toBe(12);
    expect(firstStop(upCriterion({ s: 3, k: 2 }), va)).toBe(null);
  });

  it('k = 3: strip ends 0.8, 0.75 (down), 0.76 (up 1), 0.8 (up 2)', () => {
    expect(firstStop(upCriterion({ s: 1, k: 3 }), va)).toBe(9);
    expect(firstStop(upCriterion({ s: 2, k: 3 }), va)).toBe(12);
  });
});
