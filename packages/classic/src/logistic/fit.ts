import { solveLinear } from '../linalg/solve.js';
import type { Vector } from '../vectors/distance.js';
import { logisticLogOdds, sigmoid } from './probability.js';

/** Options of {@link fitLogisticRegression}. */
export interface LogisticFitOptions {
  /**
   * 'newton' (default): Newton's method, also called iteratively reweighted least squares
   * (IRLS); converges in a handful of steps. 'gradient-descent': b <- b - lr * gradient,
   * the method a neural network would use.
   */
  method?: 'newton' | 'gradient-descent';
  /** Step size of gradient descent. Default 0.1. Unused by Newton. */
  lr?: number;
  /** Most iterations. Default 100 (Newton) or 10,000 (gradient descent). */
  maxIterations?: number;
  /** Stop when no coefficient moves more than this in one iteration. Default 1e-10 (Newton), 1e-8 (gradient descent). */
  tolerance?: number;
  /**
   * L2 penalty (lambda / 2) sum_{j >= 1} bj^2 added to the mean loss; the intercept is not
   * penalised. Default 0. Needed when the classes are separable (the unpenalised
   * coefficients then grow without bound).
   */
  l2?: number;
}

/** What {@link fitLogisticRegression} returns. */
export interface LogisticFit {
  /** The coefficients b0, b1, ..., bd, the intercept first, as {@link logisticProbability} takes them. */
  readonly coefficients: number[];
  /** Mean negative log-likelihood (cross-entropy) on the data, plus the L2 term. */
  readonly loss: number;
  /** Iterations taken (Newton steps or gradient-descent steps). */
  readonly iterations: number;
  /** True when the last step moved no coefficient more than the tolerance. */
  readonly converged: boolean;
  /** The method used. */
  readonly method: 'newton' | 'gradient-descent';
}

/**
 * Fits a logistic regression P(y = 1 | x) = sigmoid(b0 + b1 x1 + ... + bd xd) by maximum
 * likelihood: it minimises the mean cross-entropy
 *   L(b) = -(1/n) sum_i [y_i ln p_i + (1 - y_i) ln(1 - p_i)] + (l2 / 2) sum_{j >= 1} bj^2,
 * whose gradient is (1/n) X^T (p - y) (+ l2 b) and Hessian (1/n) X^T diag(p (1 - p)) X
 * (+ l2 I), X having a leading column of ones. Both methods start from b = 0.
 *
 * No closed form exists in general, but one binary input has one: b0 = logit(mean y where
 * x = 0) and b1 = logit(mean y where x = 1) - b0. With y = [0, 0, 0, 1] at x = 0 and
 * [0, 1, 1, 1] at x = 1 that is b0 = ln(1/3) = -1.0986, b1 = ln 3 - ln(1/3) = 2.1972.
 * ```ts
 * fitLogisticRegression([[0], [0], [0], [0], [1], [1], [1], [1]], [0, 0, 0, 1, 0, 1, 1, 1]).coefficients;
 * // [-1.0986, 2.1972]
 * ```
 * Paper: Cox 1958, "The regression analysis of binary sequences",
 * https://doi.org/10.1111/j.2517-6161.1958.tb00292.x (Newton/IRLS: Nelder & Wedderburn 1972,
 * https://doi.org/10.2307/2344614)
 *
 * @param xs one input vector per example, all of one length d
 * @param ys the class of each example, 0 or 1
 * @param options method, step size, iterations, tolerance and L2 penalty
 */
export function fitLogisticRegression(
  xs: readonly Vector[],
  ys: ArrayLike<number>,
  options: LogisticFitOptions = {},
): LogisticFit {
  const n = xs.length;
  if (n === 0) throw new Error('fitLogisticRegression: needs at least one example, got 0');
  if (ys.length !== n) {
    throw new Error(
      `fitLogisticRegression: ${n} inputs but ${ys.length} labels; expected one each`,
    );
  }
  const d = xs[0]!.length;
  for (let i = 0; i < n; i++) {
    if (xs[i]!.length !== d) {
      throw new Error(
        `fitLogisticRegression: input ${i} has ${xs[i]!.length} values, expected ${d}`,
      );
    }
    if (ys[i] !== 0 && ys[i] !== 1) {
      throw new Error(`fitLogisticRegression: label ${i} is ${ys[i]}, expected 0 or 1`);
    }
  }
  const method = options.method ?? 'newton';
  if (method !== 'newton' && method !== 'gradient-descent') {
    throw new Error(
      `fitLogisticRegression: method must be 'newton' or 'gradient-descent', got '${String(method)}'`,
    );
  }
  const newton = method === 'newton';
  const lr = options.lr ?? 0.1;
  const l2 = options.l2 ?? 0;
  const maxIterations = options.maxIterations ?? (newton ? 100 : 10_000);
  const tolerance = options.tolerance ?? (newton ? 1e-10 : 1e-8);
  if (!(lr > 0)) throw new Error(`fitLogisticRegression: lr must be positive, got ${lr}`);
  if (!(l2 >= 0)) throw new Error(`fitLogisticRegression: l2 must be >= 0, got ${l2}`);

  // Rows of the design matrix: [1, x1, ..., xd].
  const rows = xs.map((x) => [1, ...Array.from(x)]);
  const b = new Array<number>(d + 1).fill(0);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations && !converged) {
    iterations++;
    const p = xs.map((x) => sigmoid(logisticLogOdds(b, x)));
    const gradient = b.map((bj, j) => (j === 0 ? 0 : l2 * bj));
    for (let i = 0; i < n; i++) {
      const r = (p[i]! - ys[i]!) / n;
      for (let j = 0; j <= d; j++) gradient[j]! += r * rows[i]![j]!;
    }
    let step: number[];
    if (newton) {
      const hessian = b.map((_, j) => b.map((_, k) => (j === k && j > 0 ? l2 : 0)));
      for (let i = 0; i < n; i++) {
        const w = (p[i]! * (1 - p[i]!)) / n;
        const row = rows[i]!;
        for (let j = 0; j <= d; j++)
          for (let k = 0; k <= d; k++) hessian[j]![k]! += w * row[j]! * row[k]!;
      }
      try {
        step = solveLinear(hessian, gradient);
      } catch {
        throw new Error(
          `fitLogisticRegression: the Hessian became singular at iteration ${iterations}; the classes are (nearly) separable, so set l2 > 0`,
        );
      }
    } else {
      step = gradient.map((g) => lr * g);
    }
    let largest = 0;
    for (let j = 0; j <= d; j++) {
      b[j]! -= step[j]!;
      largest = Math.max(largest, Math.abs(step[j]!));
    }
    if (!Number.isFinite(largest)) {
      throw new Error(
        `fitLogisticRegression: the coefficients diverged at iteration ${iterations}; lower lr or set l2 (separable classes have no finite maximum-likelihood fit)`,
      );
    }
    converged = largest <= tolerance;
  }
  return { coefficients: b, loss: logisticLoss(b, xs, ys, l2), iterations, converged, method };
}

/**
 * Mean cross-entropy of a logistic model on labelled data, plus (l2 / 2) sum_{j >= 1} bj^2:
 * -(1/n) sum_i [y_i ln p_i + (1 - y_i) ln(1 - p_i)]. Coefficients b = 0 give p = 0.5
 * everywhere and a loss of ln 2 = 0.6931.
 */
export function logisticLoss(
  coefficients: Vector,
  xs: readonly Vector[],
  ys: ArrayLike<number>,
  l2 = 0,
): number {
  if (ys.length !== xs.length) {
    throw new Error(`logisticLoss: ${xs.length} inputs but ${ys.length} labels; expected one each`);
  }
  let sum = 0;
  for (let i = 0; i < xs.length; i++) {
    const z = logisticLogOdds(coefficients, xs[i]!);
    // -ln sigmoid(z) = softplus(-z), written to stay finite for large |z|.
    const softplus = (t: number) => Math.max(t, 0) + Math.log1p(Math.exp(-Math.abs(t)));
    sum += ys[i] === 1 ? softplus(-z) : softplus(z);
  }
  let penalty = 0;
  for (let j = 1; j < coefficients.length; j++) penalty += coefficients[j]! ** 2;
  return sum / xs.length + (l2 / 2) * penalty;
}
