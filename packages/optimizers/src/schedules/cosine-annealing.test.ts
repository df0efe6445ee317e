import { describe, expect, it } from 'vitest';
import { cosineAnnealing } from './cosine-annealing.js';

describe('cosineAnnealing: etaMin + (lr - etaMin)(1 + cos(pi T_cur / T_i)) / 2', () => {
  it('one cycle of tMax updates, then etaMin', () => {
    const s = cosineAnnealing({ lr: 0.1, tMax: 100 });
    expect(s.at(0)).toBeCloseTo(0.1, 12); // cos 0 = 1: 0.1 * 2 / 2
    expect(s.at(25)).toBeCloseTo(0.0853553391, 10); // 0.05 (1 + cos(pi/4)) = 0.05 * 1.7071067812
    expect(s.at(50)).toBeCloseTo(0.05, 12); // cos(pi/2) = 0
    expect(s.at(100)).toBeCloseTo(0, 12); // cos(pi) = -1
    expect(s.at(150)).toBeCloseTo(0, 12); // stays at etaMin without restarts
  });

  it('etaMin shifts the floor', () => {
    const s = cosineAnnealing({ lr: 0.1, tMax: 100, etaMin: 0.01 });
    expect(s.at(50)).toBeCloseTo(0.055, 12); // 0.01 + 0.09 * 0.5
    expect(s.at(100)).toBeCloseTo(0.01, 12);
  });

  it('warm restarts with tMult = 2: cycles [0, 10), [10, 30), [30, 70)', () => {
    const s = cosineAnnealing({ lr: 0.1, tMax: 10, restarts: true, tMult: 2 });
    expect(s.at(5)).toBeCloseTo(0.05, 12); // T_cur 5 of 10
    expect(s.at(9)).toBeCloseTo(0.0024471742, 10); // 0.05 (1 + cos(0.9 pi)) = 0.05 * 0.0489434837
    expect(s.at(10)).toBeCloseTo(0.1, 12); // restart
    expect(s.at(20)).toBeCloseTo(0.05, 12); // T_cur 10 of 20
    expect(s.at(30)).toBeCloseTo(0.1, 12); // restart
    expect(s.at(50)).toBeCloseTo(0.05, 12); // T_cur 20 of 40
    expect(s.at(70)).toBeCloseTo(0.1, 12); // restart (cycle of 80 begins)
  });

  it('warm restarts with tMult = 1 repeat the same cycle', () => {
    const s = cosineAnnealing({ lr: 0.1, tMax: 10, restarts: true });
    expect(s.at(1005)).toBeCloseTo(0.05, 12); // 1005 mod 10 = 5
    expect(s.at(1000)).toBeCloseTo(0.1, 12);
  });

  it('names the bad value', () => {
    expect(() => cosineAnnealing({ lr: 0.1, tMax: 0 })).toThrow(
      'cosineAnnealing: tMax must be a positive number, got 0',
    );
    expect(() => cosineAnnealing({ lr: 0.1, tMax: 10, etaMin: 0.2 })).toThrow(
      'cosineAnnealing: etaMin must be in [0, lr = 0.1], got 0.2',
    );
    expect(() => cosineAnnealing({ lr: 0.1, tMax: 10, tMult: 2 })).toThrow(
      'cosineAnnealing: tMult (2) needs restarts: true',
    );
    expect(() => cosineAnnealing({ lr: 0.1, tMax: 10, restarts: true, tMult: 0.5 })).toThrow(
      'cosineAnnealing: tMult must be a number >= 1, got 0.5',
    );
  });
});
