import { leaveOneOut } from '@tunelab/datasets/split';
import { checkDegree, polynomialFit, polynomialValue } from './polynomial.js';

/** One degree's row of {@link polynomialLoocv}. */
export interface PolynomialLoocvRow {
  /** The polynomial degree of this row. */
  readonly degree: number;
  /** The least-squares fit on all the points, constant first. */
  readonly coefficients: number[];
  /** Mean squared error of that fit on the points it was fitted to. */
  readonly trainingError: number;
  /**
   * Leave-one-out cross-validation error: (1/n) sum_i (y_i - p_{-i}(x_i))^2, where p_{-i}
   * is fitted without point i.
   */
  readonly loocvError: number;
  /** y_i - p_{-i}(x_i) for each point i. */
  readonly residuals: number[];
}

/**
 * Polynomial least squares for each degree, with its leave-one-out cross-validation error:
 * for each point i, fit the other n - 1 points (the folds of `leaveOneOut` from
 * @tunelab/datasets), predict y_i, and average the squared errors. The degree with the
 * smallest LOOCV error is the usual choice; the training error only ever falls with the
 * degree.
 *
 * The line (degree 1) through (0, 0), (1, 1), (2, 3): leaving out (0, 0) the line through
 * the other two is y = 2x - 1, which predicts -1 (squared error 1); leaving out (1, 1),
 * y = 1.5x predicts 1.5 (0.25); leaving out (2, 3), y = x predicts 2 (1). LOOCV error =
 * (1 + 0.25 + 1) / 3 = 0.75.
 * ```ts
 * polynomialLoocv([0, 1, 2], [0, 1, 3], [0, 1])[1].loocvError; // 0.75
 * ```
 * Paper: Stone 1974, "Cross-validatory choice and assessment of statistical predictions",
 * https://doi.org/10.1111/j.2517-6161.1974.tb00994.x
 *
 * @param xs inputs, one per point
 * @param ys targets, one per point
 * @param degrees the degrees to try; each needs degree + 2 <= n (degree + 1 points per held-out fit)
 */
export function polynomialLoocv(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  degrees: readonly number[],
): PolynomialLoocvRow[] {
  const n = xs.length;
  if (ys.length !== n) {
    throw new Error(`polynomialLoocv: ${n} x values but ${ys.length} y values`);
  }
  for (const degree of degrees) {
    checkDegree(degree, 'polynomialLoocv');
    if (degree + 2 > n) {
      throw new Error(
        `polynomialLoocv: degree ${degree} needs at least ${degree + 2} points (${degree + 1} in each fit without one point), got ${n}`,
      );
    }
  }
  const folds = leaveOneOut(n);
  const pick = (values: ArrayLike<number>, indices: Int32Array) =>
    Array.from(indices, (i) => values[i]!);
  return degrees.map((degree) => {
    const coefficients = polynomialFit(xs, ys, degree);
    let trainingError = 0;
    for (let i = 0; i < n; i++)
      trainingError += (ys[i]! - polynomialValue(coefficients, xs[i]!)) ** 2;
    const residuals = new Array<number>(n).fill(0);
    for (const fold of folds) {
      const held = fold.validation[0]!;
      const fit = polynomialFit(pick(xs, fold.train), pick(ys, fold.train), degree);
      residuals[held] = ys[held]! - polynomialValue(fit, xs[held]!);
    }
    return {
      degree,
      coefficients,
      trainingError: trainingError / n,
      loocvError: residuals.reduce((s, r) => s + r * r, 0) / n,
      residuals,
    };
  });
}
