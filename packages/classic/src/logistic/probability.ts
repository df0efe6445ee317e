import type { Vector } from '../vectors/distance.js';

/** The logistic function: sigmoid(z) = 1 / (1 + e^-z). `sigmoid(0)` is 0.5. */
export function sigmoid(z: number): number {
  // Two forms so that e^|z| never overflows.
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** The log-odds, inverse of {@link sigmoid}: logit(p) = ln(p / (1 - p)). `logit(0.75)` is ln 3. */
export function logit(p: number): number {
  if (!(p > 0 && p < 1)) throw new Error(`logit: p must be in (0, 1), got ${p}`);
  return Math.log(p / (1 - p));
}

/** Checks that `coefficients` = [b0, b1..bd] fits an input of d values. */
export function checkCoefficients(coefficients: Vector, x: Vector, where: string): void {
  if (coefficients.length !== x.length + 1) {
    throw new Error(
      `${where}: ${coefficients.length} coefficients for an input of ${x.length} values; expected ${x.length + 1} (intercept b0 first, then one per input)`,
    );
  }
}

/**
 * The linear predictor (log-odds) of a logistic model: z = b0 + b1 x1 + ... + bd xd.
 * `coefficients` is [b0, b1, ..., bd], the intercept first; `x` is [x1, ..., xd].
 */
export function logisticLogOdds(coefficients: Vector, x: Vector): number {
  checkCoefficients(coefficients, x, 'logisticLogOdds');
  return linearPredictor(coefficients, x);
}

/** b0 + sum_i b_{i+1} x_i, unchecked. */
function linearPredictor(coefficients: Vector, x: Vector): number {
  let z = coefficients[0]!;
  for (let i = 0; i < x.length; i++) z += coefficients[i + 1]! * x[i]!;
  return z;
}

/**
 * Probability of the positive class under a logistic model:
 * P(y = 1 | x) = 1 / (1 + e^-(b0 + b1 x1 + ... + bd xd)).
 *
 * Example: coefficients [-6, 0.05, 1] (intercept -6, then hours studied and undergraduate
 * GPA) and a student with 40 hours and GPA 3.5: z = -6 + 0.05 * 40 + 1 * 3.5 = -0.5, so
 * p = 1 / (1 + e^0.5) = 0.3775.
 * ```ts
 * logisticProbability([-6, 0.05, 1], [40, 3.5]); // 0.3775
 * ```
 * @param coefficients [b0, b1, ..., bd]: the intercept first, then one per input
 * @param x the input [x1, ..., xd]
 */
export function logisticProbability(coefficients: Vector, x: Vector): number {
  checkCoefficients(coefficients, x, 'logisticProbability');
  return sigmoid(linearPredictor(coefficients, x));
}

/**
 * The value of input `index` that gives probability `p`, the other inputs held at `x`:
 * solve b0 + sum_j bj xj = logit(p) for x_index, i.e.
 * x_index = (ln(p / (1 - p)) - b0 - sum_{j != index} bj xj) / b_index.
 *
 * Example: with coefficients [-6, 0.05, 1] and GPA 3.5, a 50% chance needs
 * (ln 1 + 6 - 3.5) / 0.05 = 50 hours of study.
 * ```ts
 * logisticSolveFor([-6, 0.05, 1], [0, 3.5], 0, 0.5); // 50 (x[0] itself is ignored)
 * ```
 * @param coefficients [b0, b1, ..., bd]: the intercept first, then one per input
 * @param x the input; the value at `index` is ignored (it is the unknown)
 * @param index 0-based position in `x` of the input to solve for
 * @param p the target probability, in (0, 1)
 */
export function logisticSolveFor(
  coefficients: Vector,
  x: Vector,
  index: number,
  p: number,
): number {
  checkCoefficients(coefficients, x, 'logisticSolveFor');
  if (!Number.isInteger(index) || index < 0 || index >= x.length) {
    throw new Error(
      `logisticSolveFor: index must be an integer in [0, ${x.length - 1}], got ${index}`,
    );
  }
  if (!(p > 0 && p < 1)) throw new Error(`logisticSolveFor: p must be in (0, 1), got ${p}`);
  const slope = coefficients[index + 1]!;
  if (slope === 0) {
    throw new Error(
      `logisticSolveFor: coefficient b${index + 1} of input ${index} is 0, so that input does not change the probability`,
    );
  }
  let rest = coefficients[0]!;
  for (let j = 0; j < x.length; j++) if (j !== index) rest += coefficients[j + 1]! * x[j]!;
  return (logit(p) - rest) / slope;
}
