import { describe, expect, it } from 'vitest';
import { exponentialDecay } from './exponential-decay.js';

describe('exponentialDecay: lr * gamma^t', () => {
  it('matches the formula at specific steps', () => {
    const s = exponentialDecay({ lr: 0.1, gamma: 0.9 });
    expect(s.at(0)).toBeCloseTo(0.1, 12);
    expect(s.at(1)).toBeCloseTo(0.09, 12);
    expect(s.at(2)).toBeCloseTo(0.081, 12);
    expect(s.at(10)).toBeCloseTo(0.034867844, 10); // 0.1 * 0.9^10 = 0.1 * 0.3486784401
    expect(s.config()).toEqual({ name: 'exponentialDecay', lr: 0.1, gamma: 0.9 });
  });

  it('gamma = 0.5^(1/1000) halves the rate every 1000 updates', () => {
    const s = exponentialDecay({ lr: 0.1, gamma: 0.5 ** (1 / 1000) });
    expect(s.at(1000)).toBeCloseTo(0.05, 10);
    expect(s.at(2000)).toBeCloseTo(0.025, 10);
  });

  it('names the bad value', () => {
    expect(() => exponentialDecay({ lr: 0.1, gamma: 0 })).toThrow(
      'exponentialDecay: gamma must be in (0, 1], got 0',
    );
  });
});
