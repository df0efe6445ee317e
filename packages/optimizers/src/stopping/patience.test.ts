import { describe, expect, it } from 'vitest';
import { patienceCriterion } from './patience.js';

function firstStop(patience: number, values: number[], options = {}) {
  const c = patienceCriterion({ patience, ...options });
  for (let i = 0; i < values.length; i++) if (c.update(values[i]!) !== null) return i + 1;
  return null;
}

describe('patience', () => {
  // epoch: 1    2    3    4    5     6     7     8
  const va = [1.0, 0.8, 0.7, 0.6, 0.62, 0.66, 0.65, 0.7];
  it('stops `patience` epochs after the last improvement (best 0.6 at epoch 4)', () => {
    expect(firstStop(1, va)).toBe(5); // 5 - 4 = 1
    expect(firstStop(2, va)).toBe(6);
    expect(firstStop(3, va)).toBe(7);
    expect(firstStop(5, va)).toBe(null); // 8 - 4 = 4 < 5
  });

  it('minDelta: 0.6 -> 0.55 is not an improvement of more than 0.06', () => {
    const values = [1, 0.8, 0.7, 0.6, 0.55, 0.58, 0.57];
    // minDelta 0.06: each of 0.8, 0.7, 0.6 beats the best by 0.1, best at 4; 0.55 > 0.6 - 0.06
    // does not, so 5 and 6 are epochs without improvement: stop at 6
    expect(firstStop(2, values, { minDelta: 0.06 })).toBe(6);
    // minDelta 0: best 0.55 at 5, then 6 and 7 without improvement: stop at 7
    expect(firstStop(2, values)).toBe(7);
  });

  it('max mode for accuracies, and the message', () => {
    const c = patienceCriterion({ patience: 2, mode: 'max' });
    expect([0.5, 0.7, 0.6].map((v) => c.update(v))).toEqual([null, null, null]);
    expect(c.update(0.65)).toBe('no improvement for 2 epochs (best 0.7)');
    expect(c.bestEpoch).toBe(2);
    expect(c.bestValue).toBe(0.7);
  });

  it('names the bad value', () => {
    expect(() => patienceCriterion({ patience: 0 })).toThrow(
      'patience: patience must be a positive integer, got 0',
    );
  });
});
