import { describe, expect, it } from 'vitest';
import { timeDecay } from './time-decay.js';

describe('timeDecay: lr0 / (1 + decay * t)', () => {
  it('matches the formula at specific steps', () => {
    const s = timeDecay({ lr: 0.1, decay: 0.01 });
    expect(s.at(0)).toBeCloseTo(0.1, 12); // 0.1 / 1
    expect(s.at(50)).toBeCloseTo(0.0666666667, 10); // 0.1 / 1.5
    expect(s.at(100)).toBeCloseTo(0.05, 12); // 0.1 / 2
    expect(s.at(300)).toBeCloseTo(0.025, 12); // 0.1 / 4
    expect(s.config()).toEqual({ name: 'timeDecay', lr: 0.1, decay: 0.01 });
  });

  it('several decay values at step 100 (one chart, one curve each)', () => {
    // 0.1 / (1 + 0.1) = 0.0909090909; 0.1 / 2 = 0.05; 0.1 / (1 + 10) = 0.0090909091
    const at100 = [0.001, 0.01, 0.1].map((decay) => timeDecay({ lr: 0.1, decay }).at(100));
    expect(at100[0]).toBeCloseTo(0.0909090909, 10);
    expect(at100[1]).toBeCloseTo(0.05, 10);
    expect(at100[2]).toBeCloseTo(0.0090909091, 10);
    expect(timeDecay({ lr: 0.1, decay: 0 }).at(1e6)).toBe(0.1);
  });

  it('names the bad value', () => {
    expect(() => timeDecay({ lr: 0.1, decay: -1 })).toThrow(
      'timeDecay: decay must be a non-negative number, got -1',
    );
    expect(() => timeDecay({ lr: 0.1, decay: 0.1 }).at(-1)).toThrow(
      'timeDecay.at: step must be a number >= 0, got -1',
    );
  });
});
