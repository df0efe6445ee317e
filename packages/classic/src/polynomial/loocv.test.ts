import { Rng } from '@tunelab/core/random';
import { describe, expect, it } from 'vitest';
import { solveLinear } from '../linalg/solve.js';
import { polynomialLoocv } from './loocv.js';
import { polynomialFeatures } from './polynomial.js';

describe('polynomialLoocv', () => {
  it('gives the LOOCV error of a line through 3 points worked out by hand', () => {
    // Leave out (0, 0): y = 2x - 1 predicts -1, error 1. Leave out (1, 1): y = 1.5x predicts
    // 1.5, error 0.25. Leave out (2, 3): y = x predicts 2, error 1. Mean: 2.25 / 3 = 0.75.
    const [constant, line] = polynomialLoocv([0, 1, 2], [0, 1, 3], [0, 1]);
    expect(line!.residuals.map((r) => Number(r.toFixed(12)))).toEqual([1, -0.5, 1]);
    expect(line!.loocvError).toBeCloseTo(0.75, 12);
    // Training error of the full line y = -1/6 + 1.5x: residuals 1/6, -1/3, 1/6 -> (1/36 +
    // 1/9 + 1/36) / 3 = 1/18.
    expect(line!.trainingError).toBeCloseTo(1 / 18, 12);
    // Degree 0: leave one out, predict the mean of the other two: 2, 1.5, 0.5 for 0, 1, 3;
    // errors 4, 0.25, 6.25 -> 10.5 / 3 = 3.5.
    expect(constant!.loocvError).toBeCloseTo(3.5, 12);
  });

  it('agrees with the hat-matrix shortcut e_i / (1 - h_ii)', () => {
    // For least squares the leave-one-out residual is the full-fit residual over 1 - h_ii,
    // h_ii = x_i^T (X^T X)^-1 x_i: an independent computation with one fit per degree.
    const xs = Array.from({ length: 15 }, (_, i) => i / 14);
    const ys = xs.map((x, i) => Math.sin(3 * x) + 0.1 * Math.cos(17 * i));
    for (const row of polynomialLoocv(xs, ys, [0, 1, 2, 3, 5])) {
      const features = xs.map((x) => polynomialFeatures(x, row.degree));
      const p = row.degree + 1;
      const xtx = Array.from({ length: p }, (_, j) =>
        Array.from({ length: p }, (_, k) => features.reduce((s, f) => s + f[j]! * f[k]!, 0)),
      );
      let expected = 0;
      features.forEach((f, i) => {
        const h = f.reduce((s, v, j) => s + v * solveLinear(xtx, f)[j]!, 0);
        const fitted = row.coefficients.reduce((s, c, j) => s + c * f[j]!, 0);
        expected += ((ys[i]! - fitted) / (1 - h)) ** 2;
      });
      expect(row.loocvError).toBeCloseTo(expected / xs.length, 9);
    }
  });

  it('is smallest near the true degree while training error keeps falling', () => {
    const xs = Array.from({ length: 30 }, (_, i) => -1 + (2 * i) / 29);
    const noise = Rng.fromSeed(5);
    const ys = xs.map((x) => 1 - 2 * x * x + noise.normal(0, 0.2));
    const rows = polynomialLoocv(xs, ys, [0, 1, 2, 6, 10]);
    const best = rows.reduce((a, b) => (b.loocvError < a.loocvError ? b : a));
    expect(best.degree).toBe(2);
    for (let i = 1; i < rows.length; i++) {
      expect(rows[i]!.trainingError).toBeLessThanOrEqual(rows[i - 1]!.trainingError + 1e-12);
    }
  });

  it('names what was wrong', () => {
    expect(() => polynomialLoocv([0, 1, 2], [0, 1, 3], [2])).toThrow(
      'polynomialLoocv: degree 2 needs at least 4 points (3 in each fit without one point), got 3',
    );
    expect(() => polynomialLoocv([0, 1, 2], [0, 1], [1])).toThrow('3 x values but 2 y values');
  });
});
