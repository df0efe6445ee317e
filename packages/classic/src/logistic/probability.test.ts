import { describe, expect, it } from 'vitest';
import { logisticProbability, logisticSolveFor, logit, sigmoid } from './probability.js';

describe('logisticProbability', () => {
  it('matches the probability worked out by hand', () => {
    // z = -6 + 0.05 * 40 + 1 * 3.5 = -0.5; p = 1 / (1 + e^0.5) = 1 / 2.6487 = 0.3775.
    expect(logisticProbability([-6, 0.05, 1], [40, 3.5])).toBeCloseTo(0.3775406688, 10);
    // Intercept only: b0 = 0 gives 0.5, b0 = ln 3 gives 3 / 4.
    expect(logisticProbability([0], [])).toBe(0.5);
    expect(logisticProbability([Math.log(3)], [])).toBeCloseTo(0.75, 15);
  });

  it('stays finite and exact in the tails', () => {
    expect(sigmoid(-700)).toBeGreaterThan(0); // e^-700 = 9.9e-305, not rounded to 0
    expect(sigmoid(-700)).toBeLessThan(1e-300);
    expect(sigmoid(800)).toBe(1);
    expect(sigmoid(-2)).toBeCloseTo(1 - sigmoid(2), 15);
  });

  it('names what was wrong', () => {
    expect(() => logisticProbability([1, 2], [1, 2])).toThrow(
      'logisticProbability: 2 coefficients for an input of 2 values; expected 3 (intercept b0 first, then one per input)',
    );
  });
});

describe('logisticSolveFor', () => {
  it('finds the input for a target probability, worked out by hand', () => {
    // 50%: logit(0.5) = 0 = -6 + 0.05 h + 3.5, so h = 2.5 / 0.05 = 50 hours.
    expect(logisticSolveFor([-6, 0.05, 1], [0, 3.5], 0, 0.5)).toBeCloseTo(50, 12);
    // 75%: ln 3 = 1.0986 = -6 + 0.05 * 40 + g, so g = 4 + 1.0986 = 5.0986.
    expect(logisticSolveFor([-6, 0.05, 1], [40, 0], 1, 0.75)).toBeCloseTo(4 + Math.log(3), 12);
  });

  it('inverts logisticProbability', () => {
    const b = [0.3, -1.2, 2.5, 0.7];
    const x = [0.4, 0.9, -1.1];
    for (const p of [0.01, 0.2, 0.5, 0.93]) {
      for (const index of [0, 1, 2]) {
        const solved = logisticSolveFor(b, x, index, p);
        const changed = x.map((v, i) => (i === index ? solved : v));
        expect(logisticProbability(b, changed)).toBeCloseTo(p, 12);
      }
    }
    expect(logit(sigmoid(1.234))).toBeCloseTo(1.234, 14);
  });

  it('names what was wrong', () => {
    expect(() => logisticSolveFor([1, 2], [0], 1, 0.5)).toThrow(
      'logisticSolveFor: index must be an integer in [0, 0], got 1',
    );
    expect(() => logisticSolveFor([1, 2], [0], 0, 1)).toThrow(
      'logisticSolveFor: p must be in (0, 1), got 1',
    );
    expect(() => logisticSolveFor([1, 0], [0], 0, 0.5)).toThrow('coefficient b1 of input 0 is 0');
  });
});
