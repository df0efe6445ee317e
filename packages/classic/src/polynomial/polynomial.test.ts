import { describe, expect, it } from 'vitest';
import { polynomialFeatures, polynomialFit, polynomialValue } from './polynomial.js';

describe('polynomial features and values', () => {
  it('match hand computations', () => {
    expect(polynomialFeatures(2, 3)).toEqual([1, 2, 4, 8]);
    expect(polynomialFeatures(5, 0)).toEqual([1]);
    expect(polynomialValue([1, 0, 2], 3)).toBe(19); // 1 + 2 * 3^2
    expect(polynomialValue([], 3)).toBe(0);
  });
});

describe('polynomialFit', () => {
  it('fits the least-squares line through three points', () => {
    // Worked out by hand: slope 3/2, intercept -1/6 (see linalg.test.ts).
    const [c0, c1] = polynomialFit([0, 1, 2], [0, 1, 3], 1);
    expect(c0).toBeCloseTo(-1 / 6, 13);
    expect(c1).toBeCloseTo(1.5, 13);
  });

  it('recovers an exact polynomial from noise-free points, far from x = 0 too', () => {
    const truth = [2, -3, 0.5, 0.25]; // 2 - 3x + 0.5x^2 + 0.25x^3
    for (const offset of [0, 10]) {
      const xs = Array.from({ length: 9 }, (_, i) => offset + i / 2);
      const ys = xs.map((x) => polynomialValue(truth, x));
      const fit = polynomialFit(xs, ys, 3);
      xs.forEach((x, i) => {
        expect(polynomialValue(fit, x)).toBeCloseTo(ys[i]!, 8);
      });
      if (offset === 0)
        fit.forEach((c, i) => {
          expect(c).toBeCloseTo(truth[i]!, 10);
        });
    }
  });

  it('degree 0 is the mean', () => {
    expect(polynomialFit([1, 2, 3, 4], [2, 4, 4, 10], 0)[0]).toBeCloseTo(5, 14);
  });

  it('interpolates n points with degree n - 1 (Lagrange)', () => {
    // Through (0, 1), (1, 3), (2, 7): 1 + x + x^2.
    polynomialFit([0, 1, 2], [1, 3, 7], 2).forEach((c) => {
      expect(c).toBeCloseTo(1, 12);
    });
  });

  it('names what was wrong', () => {
    expect(() => polynomialFit([0, 1], [0, 1], 2)).toThrow(
      'polynomialFit: degree 2 needs at least 3 points, got 2',
    );
    expect(() => polynomialFit([0, 1], [0], 1)).toThrow('polynomialFit: 2 x values but 1 y values');
    expect(() => polynomialFeatures(1, 1.5)).toThrow(
      'polynomialFeatures: degree must be an integer >= 0, got 1.5',
    );
  });
});
