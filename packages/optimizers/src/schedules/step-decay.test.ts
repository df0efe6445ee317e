import { iterationsPerEpoch } from '@tunelab/core';
import { describe, expect, it } from 'vitest';
import { stepDecay } from './step-decay.js';

describe('stepDecay: lr * gamma^floor(t / stepSize)', () => {
  it('drops by gamma every stepSize updates', () => {
    const s = stepDecay({ lr: 0.1, stepSize: 30 });
    expect(s.at(0)).toBeCloseTo(0.1, 12);
    expect(s.at(29)).toBeCloseTo(0.1, 12); // floor(29/30) = 0
    expect(s.at(30)).toBeCloseTo(0.01, 12); // 0.1 * 0.1
    expect(s.at(59)).toBeCloseTo(0.01, 12);
    expect(s.at(60)).toBeCloseTo(0.001, 12); // 0.1 * 0.1^2
    // gamma 0.5, every 10: at 25, floor(2.5) = 2 drops: 0.1 * 0.25 = 0.025
    expect(stepDecay({ lr: 0.1, stepSize: 10, gamma: 0.5 }).at(25)).toBeCloseTo(0.025, 12);
    expect(s.config()).toEqual({ name: 'stepDecay', lr: 0.1, stepSize: 30, gamma: 0.1 });
  });

  it('every 10 epochs: stepSize = 10 * iterationsPerEpoch', () => {
    // 48,000 examples at batch 32: 1,500 updates per epoch, so epochs 1-10 are steps 0-14,999.
    const s = stepDecay({ lr: 0.1, stepSize: 10 * iterationsPerEpoch(48_000, 32) });
    expect(s.at(14_999)).toBeCloseTo(0.1, 12);
    expect(s.at(15_000)).toBeCloseTo(0.01, 12);
  });

  it('names the bad value', () => {
    expect(() => stepDecay({ lr: 0.1, stepSize: 2.5 })).toThrow(
      'stepDecay: stepSize must be a positive integer, got 2.5',
    );
    expect(() => stepDecay({ lr: 0.1, stepSize: 10, gamma: 2 })).toThrow(
      'stepDecay: gamma must be in (0, 1], got 2',
    );
  });
});
