import { Rng } from '@tunelab/core/random';
import { polynomialFit, polynomialValue } from '../polynomial/polynomial.js';

/** Fits a model of the given complexity to (xs, ys) and returns its prediction function. */
export type ComplexityFit = (
  xs: readonly number[],
  ys: readonly number[],
  complexity: number,
) => (x: number) => number;

/** Options of {@link biasVarianceCurves}. */
export interface BiasVarianceOptions {
  /** The known function f that generates the data: y = f(x) + noise. */
  truth: (x: number) => number;
  /** Standard deviation sigma of the Gaussian noise; the irreducible error is sigma^2. */
  noise: number;
  /** Model complexities to compare, e.g. polynomial degrees [0, 1, ..., 9]. */
  complexities: readonly number[];
  /** Points in each training set. */
  trainSize: number;
  /** Training sets drawn (one fit per set and complexity). Default 200. */
  repetitions?: number;
  /** Number of test inputs at which bias and variance are measured, drawn once from `domain`. Default 100. */
  testSize?: number;
  /** The test inputs themselves (e.g. an even grid), instead of `testSize` random ones. */
  testInputs?: readonly number[];
  /** Interval the inputs x are drawn from, uniformly. Default [0, 1]. */
  domain?: readonly [number, number];
  /**
   * How a model of a given complexity is fitted. Default: the least-squares polynomial of
   * degree = complexity ({@link polynomialFit}).
   */
  fit?: ComplexityFit;
  /** Seed (or generator) of every draw: same seed, same curves. */
  seed: number | Rng;
}

/** One complexity's averages from {@link biasVarianceCurves}. */
export interface BiasVariancePoint {
  /** The model complexity (for the default fit, the polynomial degree). */
  readonly complexity: number;
  /** Mean over test inputs of (mean prediction - f(x))^2. */
  readonly bias2: number;
  /** Mean over test inputs of the spread of predictions across training sets. */
  readonly variance: number;
  /** sigma^2: the error even the true f makes. */
  readonly irreducible: number;
  /** Mean squared error of each fit on its own training set, averaged over training sets. */
  readonly trainError: number;
  /** Mean squared error on fresh noisy targets at the test inputs, averaged over training sets. */
  readonly testError: number;
}

/** What {@link biasVarianceCurves} returns: the five curves, one point per complexity. */
export interface BiasVarianceCurves {
  /** One point per complexity, in the order given. */
  readonly points: readonly BiasVariancePoint[];
  /** The noise standard deviation sigma used (irreducible error sigma^2). */
  readonly noise: number;
  /** Points in each training set. */
  readonly trainSize: number;
  /** Training sets drawn per complexity. */
  readonly repetitions: number;
  /** Test inputs at which bias and variance were measured. */
  readonly testSize: number;
}

/**
 * The bias-variance decomposition by simulation. Draw `repetitions` training sets of
 * `trainSize` points, x uniform on `domain` and y = f(x) + e with e ~ N(0, sigma^2); fit a
 * model of each complexity to each set. At fixed test inputs x0, with f_r the fit on set r
 * and fbar(x0) the mean of f_r(x0) over sets:
 *
 *   bias^2(x0)   = (fbar(x0) - f(x0))^2
 *   variance(x0) = mean_r (f_r(x0) - fbar(x0))^2
 *   E[(y0 - f_r(x0))^2] = bias^2(x0) + variance(x0) + sigma^2    (y0 = f(x0) + fresh noise)
 *
 * each averaged over the test inputs; the test error is measured on fresh noisy targets, so
 * it matches bias^2 + variance + sigma^2 up to sampling error, while the training error
 * falls below sigma^2 as the complexity grows (the fit follows the noise). Every set is reused
 * for every complexity, which makes the curves smooth.
 * ```ts
 * const curves = biasVarianceCurves({
 *   truth: (x) => Math.sin(2 * Math.PI * x), noise: 0.3, complexities: [1, 3, 9],
 *   trainSize: 20, seed: 1,
 * });
 * curves.points[0]; // degree 1: large bias^2, small variance
 * ```
 * Paper: Geman, Bienenstock & Doursat 1992, "Neural networks and the bias/variance dilemma",
 * https://doi.org/10.1162/neco.1992.4.1.1
 */
export function biasVarianceCurves(options: BiasVarianceOptions): BiasVarianceCurves {
  const { truth, noise, complexities, trainSize } = options;
  const repetitions = options.repetitions ?? 200;
  const testSize = options.testInputs?.length ?? options.testSize ?? 100;
  const [lo, hi] = options.domain ?? [0, 1];
  const fit = options.fit ?? polynomialModel;
  if (!(noise >= 0)) throw new Error(`biasVarianceCurves: noise must be >= 0, got ${noise}`);
  for (const [name, value] of Object.entries({ trainSize, repetitions, testSize })) {
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(`biasVarianceCurves: ${name} must be a positive integer, got ${value}`);
    }
  }
  if (repetitions < 2) {
    throw new Error(`biasVarianceCurves: repetitions must be >= 2 to measure a variance, got 1`);
  }
  if (!(hi > lo))
    throw new Error(
      `biasVarianceCurves: domain must be [low, high] with low < high, got [${lo}, ${hi}]`,
    );
  if (complexities.length === 0) throw new Error('biasVarianceCurves: no complexities given');

  const rng = typeof options.seed === 'number' ? Rng.fromSeed(options.seed) : options.seed;
  const testRng = rng.fork('test-inputs');
  const testX = options.testInputs
    ? [...options.testInputs]
    : Array.from({ length: testSize }, () => testRng.uniform(lo, hi));
  const testF = testX.map(truth);
  const sets = Array.from({ length: repetitions }, (_, r) => {
    const draw = rng.fork(`train-${r}`);
    const xs = Array.from({ length: trainSize }, () => draw.uniform(lo, hi));
    const ys = xs.map((x) => truth(x) + draw.normal(0, noise));
    const fresh = rng.fork(`test-noise-${r}`);
    const testY = testF.map((f) => f + fresh.normal(0, noise));
    return { xs, ys, testY };
  });

  const points = complexities.map((complexity) => {
    // predictions[r][t] = f_r(x_t)
    let trainError = 0;
    let testError = 0;
    const predictions = sets.map((set) => {
      const model = fit(set.xs, set.ys, complexity);
      for (let i = 0; i < trainSize; i++) trainError += (set.ys[i]! - model(set.xs[i]!)) ** 2;
      const row = testX.map(model);
      for (let t = 0; t < testSize; t++) testError += (set.testY[t]! - row[t]!) ** 2;
      return row;
    });
    let bias2 = 0;
    let variance = 0;
    for (let t = 0; t < testSize; t++) {
      let mean = 0;
      for (const row of predictions) mean += row[t]!;
      mean /= repetitions;
      bias2 += (mean - testF[t]!) ** 2;
      for (const row of predictions) variance += (row[t]! - mean) ** 2 / repetitions;
    }
    return {
      complexity,
      bias2: bias2 / testSize,
      variance: variance / testSize,
      irreducible: noise * noise,
      trainError: trainError / (repetitions * trainSize),
      testError: testError / (repetitions * testSize),
    };
  });
  return { points, noise, trainSize, repetitions, testSize };
}

/** The default {@link ComplexityFit}: least-squares polynomial of degree = complexity. */
export function polynomialModel(
  xs: readonly number[],
  ys: readonly number[],
  degree: number,
): (x: number) => number {
  const coefficients = polynomialFit(xs, ys, degree);
  return (x) => polynomialValue(coefficients, x);
}
