import { leastSquares } from '../linalg/least-squares.js';

/** Checks a polynomial degree: an integer >= 0. */
export function checkDegree(degree: number, where: string): void {
  if (!Number.isInteger(degree) || degree < 0) {
    throw new Error(`${where}: degree must be an integer >= 0, got ${degree}`);
  }
}

/**
 * Polynomial features of one input: [1, x, x^2, ..., x^degree].
 * `polynomialFeatures(2, 3)` is [1, 2, 4, 8].
 */
export function polynomialFeatures(x: number, degree: number): number[] {
  checkDegree(degree, 'polynomialFeatures');
  const out = [1];
  for (let k = 1; k <= degree; k++) out.push(out[k - 1]! * x);
  return out;
}

/**
 * The value of the polynomial c0 + c1 x + ... + cd x^d (Horner's rule).
 * `polynomialValue([1, 0, 2], 3)` is 1 + 2 * 9 = 19.
 */
export function polynomialValue(coefficients: ArrayLike<number>, x: number): number {
  let y = 0;
  for (let k = coefficients.length - 1; k >= 0; k--) y = y * x + coefficients[k]!;
  return y;
}

/**
 * Least-squares polynomial of degree `degree` through the points (xs[i], ys[i]): the
 * coefficients [c0, c1, ..., cd] (constant first) minimising sum_i (y_i - p(x_i))^2, from
 * the polynomial features by QR. Needs at least degree + 1 points at distinct x.
 * The line through (0, 0), (1, 1), (2, 3):
 * ```ts
 * polynomialFit([0, 1, 2], [0, 1, 3], 1); // [-1/6, 3/2]
 * ```
 */
export function polynomialFit(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  degree: number,
): number[] {
  checkDegree(degree, 'polynomialFit');
  if (xs.length !== ys.length) {
    throw new Error(`polynomialFit: ${xs.length} x values but ${ys.length} y values`);
  }
  if (xs.length < degree + 1) {
    throw new Error(
      `polynomialFit: degree ${degree} needs at least ${degree + 1} points, got ${xs.length}`,
    );
  }
  // Centre and scale x to [-1, 1] before taking powers: far better conditioned for high
  // degrees; the coefficients are mapped back to powers of x afterwards.
  const values = Array.from(xs);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const centre = (lo + hi) / 2;
  const half = (hi - lo) / 2 || 1;
  const scaled = leastSquares(
    values.map((x) => polynomialFeatures((x - centre) / half, degree)),
    Array.from(ys),
  );
  return unscale(scaled, centre, half);
}

/** Coefficients of p(x) = q((x - centre) / half) in powers of x, from those of q. */
function unscale(q: readonly number[], centre: number, half: number): number[] {
  // Horner's rule on polynomials: p = (...(q_d t + q_{d-1}) t + ...) with t = (x - centre) / half.
  let p: number[] = [];
  const t = [-centre / half, 1 / half];
  for (let k = q.length - 1; k >= 0; k--) {
    const next = new Array<number>(p.length + 1).fill(0);
    for (let i = 0; i < p.length; i++) {
      next[i]! += p[i]! * t[0]!;
      next[i + 1]! += p[i]! * t[1]!;
    }
    next[0]! += q[k]!;
    p = next;
  }
  return p.slice(0, q.length);
}
