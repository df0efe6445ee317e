import { describe, expect, it } from 'vitest';
import { biasVarianceCurves } from './simulate.js';

describe('biasVarianceCurves', () => {
  it('bias^2 + variance + noise = test error, within sampling tolerance', () => {
    const curves = biasVarianceCurves({
      truth: (x) => Math.sin(2 * Math.PI * x),
      noise: 0.3,
      complexities: [0, 1, 3, 5, 9],
      trainSize: 20,
      repetitions: 400,
      testSize: 100,
      seed: 1,
    });
    for (const p of curves.points) {
      expect(p.irreducible).toBeCloseTo(0.09, 15);
      // The test error averages 40,000 squared errors on fresh noise; its relative standard
      // error here is about 1%, so 5% is a loose bound.
      const sum = p.bias2 + p.variance + p.irreducible;
      expect(Math.abs(p.testError - sum) / sum).toBeLessThan(0.05);
    }
    const [d0, d1, d3, , d9] = curves.points;
    // Squared bias falls and variance rises with the degree; a straight line cannot follow
    // one period of a sine, degree 3 nearly can.
    expect(d0!.bias2).toBeGreaterThan(d1!.bias2);
    expect(d1!.bias2).toBeGreaterThan(10 * d3!.bias2);
    expect(d9!.variance).toBeGreaterThan(d3!.variance);
    expect(d3!.variance).toBeGreaterThan(d0!.variance);
    // Training error falls below the noise level once the fit follows the noise.
    expect(d9!.trainError).toBeLessThan(0.09);
    expect(d9!.trainError).toBeLessThan(d3!.trainError);
  });

  it('matches the formulas for a constant fit to a line, worked out by hand', () => {
    // f(x) = x, x uniform on [0, 1], noise sigma = 0.1, n = 10 points, degree 0 (the mean of y).
    // Mean prediction: E[y] = 1/2, so bias^2(x) = (1/2 - x)^2, averaged over x: 1/12 = 0.0833.
    // Var(y) = Var(x) + sigma^2 = 1/12 + 0.01; the mean of 10 has variance 0.09333 / 10 = 0.009333.
    // Training error: E[(1/n) sum (y_i - ybar)^2] = (n - 1)/n Var(y) = 0.9 * 0.09333 = 0.084.
    // Test error: 0.0833 + 0.009333 + 0.01 = 0.10267.
    // Test inputs on an even grid of midpoints, so that averages over x are exact to 1e-6.
    const [p] = biasVarianceCurves({
      truth: (x) => x,
      noise: 0.1,
      complexities: [0],
      trainSize: 10,
      repetitions: 4000,
      testInputs: Array.from({ length: 400 }, (_, i) => (i + 0.5) / 400),
      seed: 3,
    }).points;
    const varY = 1 / 12 + 0.01;
    expect(Math.abs(p!.bias2 - 1 / 12) / (1 / 12)).toBeLessThan(0.02);
    expect(Math.abs(p!.variance - varY / 10) / (varY / 10)).toBeLessThan(0.05);
    expect(Math.abs(p!.trainError - 0.9 * varY) / (0.9 * varY)).toBeLessThan(0.03);
    expect(Math.abs(p!.testError - (1 / 12 + varY / 10 + 0.01)) / 0.10267).toBeLessThan(0.03);
  });

  it('has no bias and no variance without noise when the model family contains f', () => {
    const [p] = biasVarianceCurves({
      truth: (x) => 1 + 2 * x - 3 * x * x,
      noise: 0,
      complexities: [2],
      trainSize: 8,
      repetitions: 5,
      seed: 2,
    }).points;
    expect(p!.bias2).toBeLessThan(1e-20);
    expect(p!.variance).toBeLessThan(1e-20);
    expect(p!.testError).toBeLessThan(1e-20);
  });

  it('is reproducible from its seed and takes any fitting function', () => {
    const options = {
      truth: Math.cos,
      noise: 0.2,
      complexities: [1, 5],
      trainSize: 12,
      repetitions: 20,
      domain: [-2, 2] as const,
      seed: 9,
    };
    expect(biasVarianceCurves(options)).toEqual(biasVarianceCurves(options));
    expect(biasVarianceCurves({ ...options, seed: 10 })).not.toEqual(biasVarianceCurves(options));
    // k-nearest-neighbour regression: complexity = 1 / k; k = n predicts the training mean.
    const knnFit = (xs: readonly number[], ys: readonly number[], k: number) => (x: number) =>
      xs
        .map((v, i) => ({ d: Math.abs(v - x), y: ys[i]! }))
        .sort((a, b) => a.d - b.d)
        .slice(0, k)
        .reduce((s, n) => s + n.y / k, 0);
    const byKnn = biasVarianceCurves({ ...options, complexities: [12], fit: knnFit });
    const byMean = biasVarianceCurves({ ...options, complexities: [0] });
    expect(byKnn.points[0]!.variance).toBeCloseTo(byMean.points[0]!.variance, 12);
  });

  it('names what was wrong', () => {
    const base = { truth: (x: number) => x, noise: 0.1, complexities: [1], trainSize: 5, seed: 1 };
    expect(() => biasVarianceCurves({ ...base, repetitions: 1 })).toThrow(
      'repetitions must be >= 2 to measure a variance, got 1',
    );
    expect(() => biasVarianceCurves({ ...base, trainSize: 0 })).toThrow(
      'trainSize must be a positive integer, got 0',
    );
    expect(() => biasVarianceCurves({ ...base, domain: [1, 0] })).toThrow(
      'domain must be [low, high] with low < high, got [1, 0]',
    );
    expect(() => biasVarianceCurves({ ...base, complexities: [5] })).toThrow(
      'polynomialFit: degree 5 needs at least 6 points, got 5',
    );
  });
});
