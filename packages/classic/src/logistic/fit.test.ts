import { Rng } from '@tunelab/core/random';
import { describe, expect, it } from 'vitest';
import { fitLogisticRegression, logisticLoss } from './fit.js';

// One binary input: the maximum-likelihood fit is known in closed form,
// b0 = logit(P(y = 1 | x = 0)) and b1 = logit(P(y = 1 | x = 1)) - b0.
// Here P(y = 1 | x = 0) = 1/4 and P(y = 1 | x = 1) = 3/4: b0 = ln(1/3), b1 = 2 ln 3.
const xs = [[0], [0], [0], [0], [1], [1], [1], [1]];
const ys = [0, 0, 0, 1, 0, 1, 1, 1];

describe('fitLogisticRegression', () => {
  it('Newton (IRLS) reaches the closed form', () => {
    const fit = fitLogisticRegression(xs, ys);
    expect(fit.converged).toBe(true);
    expect(fit.iterations).toBeLessThan(10);
    expect(fit.coefficients[0]).toBeCloseTo(-Math.log(3), 12); // -1.0986
    expect(fit.coefficients[1]).toBeCloseTo(2 * Math.log(3), 12); // 2.1972
    // Loss: six examples get probability 3/4 for their own class, two get 1/4:
    // -(1/8) (6 ln(3/4) + 2 ln(1/4)) = 0.5623.
    expect(fit.loss).toBeCloseTo(-(6 * Math.log(0.75) + 2 * Math.log(0.25)) / 8, 12);
  });

  it('gradient descent reaches the same fit', () => {
    const fit = fitLogisticRegression(xs, ys, { method: 'gradient-descent', lr: 1 });
    expect(fit.converged).toBe(true);
    expect(fit.coefficients[0]).toBeCloseTo(-Math.log(3), 6);
    expect(fit.coefficients[1]).toBeCloseTo(2 * Math.log(3), 6);
  });

  it('gradient-descent steps follow b <- b - lr (1/n) X^T (p - y)', () => {
    // From b = 0 every p is 0.5: gradient = (1/8) [sum (0.5 - y), sum x (0.5 - y)]
    // = (1/8) [4 - 4, 2 - 3] = [0, -1/8], so one step of lr 0.8 gives [0, 0.1].
    const one = fitLogisticRegression(xs, ys, {
      method: 'gradient-descent',
      lr: 0.8,
      maxIterations: 1,
    });
    expect(one.coefficients[0]).toBeCloseTo(0, 15);
    expect(one.coefficients[1]).toBeCloseTo(0.1, 15);
    expect(one.converged).toBe(false);
  });

  it('has zero gradient at the fit (finite differences of the loss)', () => {
    const data = Array.from({ length: 30 }, (_, i) => [Math.sin(i), Math.cos(2 * i), i / 30]);
    const noise = Rng.fromSeed(4);
    const labels = data.map((x) => (x[0]! + 0.5 * x[1]! + noise.normal(0, 1) > 0 ? 1 : 0));
    for (const l2 of [0, 0.1]) {
      const fit = fitLogisticRegression(data, labels, { l2 });
      const h = 1e-5;
      for (let j = 0; j < 4; j++) {
        const up = fit.coefficients.map((b, k) => (k === j ? b + h : b));
        const down = fit.coefficients.map((b, k) => (k === j ? b - h : b));
        const slope =
          (logisticLoss(up, data, labels, l2) - logisticLoss(down, data, labels, l2)) / (2 * h);
        expect(Math.abs(slope)).toBeLessThan(1e-7);
      }
    }
  });

  it('b = 0 has loss ln 2', () => {
    expect(logisticLoss([0, 0], xs, ys)).toBeCloseTo(Math.LN2, 15);
  });

  it('names what was wrong', () => {
    expect(() => fitLogisticRegression([[0], [1]], [0, 2])).toThrow(
      'fitLogisticRegression: label 1 is 2, expected 0 or 1',
    );
    expect(() => fitLogisticRegression([[0], [1, 2]], [0, 1])).toThrow(
      'fitLogisticRegression: input 1 has 2 values, expected 1',
    );
    expect(() => fitLogisticRegression([[0]], [0, 1])).toThrow('1 inputs but 2 labels');
    // Separable: y = 1 exactly when x > 0; the likelihood has no finite maximum.
    expect(() => fitLogisticRegression([[-2], [-1], [1], [2]], [0, 0, 1, 1])).toThrow(
      'the classes are (nearly) separable, so set l2 > 0',
    );
    expect(fitLogisticRegression([[-2], [-1], [1], [2]], [0, 0, 1, 1], { l2: 0.1 }).converged).toBe(
      true,
    );
    expect(() => fitLogisticRegression(xs, ys, { method: 'lbfgs' as never })).toThrow(
      "method must be 'newton' or 'gradient-descent', got 'lbfgs'",
    );
  });
});
