import { describe, expect, it } from 'vitest';
import { constant } from './constant.js';
import { cosineAnnealing } from './cosine-annealing.js';
import { reduceOnPlateau } from './reduce-on-plateau.js';
import { warmup } from './warmup.js';

describe('warmup: a straight line to the schedule, then the schedule from its step 0', () => {
  it('to a constant rate', () => {
    const s = warmup(constant(0.1), { steps: 5 });
    // startLr 0 + (0.1 - 0) t / 5
    expect(s.at(0)).toBe(0);
    expect(s.at(1)).toBeCloseTo(0.02, 12);
    expect(s.at(4)).toBeCloseTo(0.08, 12);
    expect(s.at(5)).toBeCloseTo(0.1, 12);
    expect(s.at(100)).toBeCloseTo(0.1, 12);
  });

  it('from startLr into cosine annealing, which starts after the warm-up', () => {
    const s = warmup(cosineAnnealing({ lr: 0.1, tMax: 100 }), { steps: 10, startLr: 0.01 });
    expect(s.at(0)).toBeCloseTo(0.01, 12);
    expect(s.at(5)).toBeCloseTo(0.055, 12); // 0.01 + (0.1 - 0.01) * 5 / 10
    expect(s.at(10)).toBeCloseTo(0.1, 12); // cosine at 0
    expect(s.at(60)).toBeCloseTo(0.05, 12); // cosine at 50
    expect(s.at(110)).toBeCloseTo(0, 12); // cosine at 100
    expect(s.config()).toEqual({
      name: 'warmup',
      steps: 10,
      startLr: 0.01,
      schedule: {
        name: 'cosineAnnealing',
        lr: 0.1,
        tMax: 100,
        etaMin: 0,
        restarts: false,
        tMult: 1,
      },
    });
  });

  it('passes observed metrics to a plateau schedule inside', () => {
    const s = warmup(reduceOnPlateau({ lr: 0.1, patience: 1, factor: 0.5 }), { steps: 2 });
    expect(s.at(3)).toBeCloseTo(0.1, 12);
    s.observe!({ valLoss: 1 });
    s.observe!({ valLoss: 2 }); // one epoch without improvement: halved from the next update
    expect(s.at(4)).toBeCloseTo(0.05, 12);
    expect(warmup(constant(0.1), { steps: 2 }).observe).toBeUndefined();
  });

  it('names the bad value', () => {
    expect(() => warmup(constant(0.1), { steps: 0 })).toThrow(
      'warmup: steps must be a positive integer, got 0',
    );
  });
});
