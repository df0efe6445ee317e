/**
 * Numerical gradient by central differences, one coordinate at a time:
 *
 *   df/dx_i ~ (f(x + h e_i) - f(x - h e_i)) / (2h)
 *
 * The error is h^2 / 6 * f'''(x) from truncation plus about eps * |f| / h from rounding; in
 * float64 with h = 1e-3 both are far below 1e-6 for the smooth losses here. Near a kink
 * (ReLU at 0, a tie in max pooling) within h of x the estimate is meaningless. Costs two
 * evaluations of f per coordinate, so use it on small arrays only.
 * @example centralDifferences((x) => x[0]! ** 2, [3]) // ~[6]
 */
export function centralDifferences(
  f: (x: Float64Array) => number,
  x: ArrayLike<number>,
  h = 1e-3,
): Float64Array {
  const point = Float64Array.from(x);
  const gradient = new Float64Array(point.length);
  for (let i = 0; i < point.length; i++) {
    const saved = point[i]!;
    point[i] = saved + h;
    const plus = f(point);
    point[i] = saved - h;
    const minus = f(point);
    point[i] = saved;
    gradient[i] = (plus - minus) / (2 * h);
  }
  return gradient;
}

/**
 * sum_i a_i * b_i. As a loss L = dot(y, c) with fixed random c it probes a backward pass:
 * dL/dy = c, so feeding dy = c to a layer's backward must give dL/dx, which autodiff and
 * {@link centralDifferences} of x -> dot(layer(x), c) compute independently.
 */
export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  checkLengths(a, b);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

/** max_i |a_i - b_i|: the largest absolute disagreement of two equally long arrays. */
export function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  checkLengths(a, b);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

/**
 * max_i |a_i - b_i| / max(1, |a_i|, |b_i|): relative error for entries above 1, absolute
 * below, so tiny entries near zero do not blow the ratio up.
 */
export function maxRelativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  checkLengths(a, b);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const scale = Math.max(1, Math.abs(a[i]!), Math.abs(b[i]!));
    worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / scale);
  }
  return worst;
}

function checkLengths(a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length) {
    throw new Error(`cannot compare arrays of ${a.length} and ${b.length} values`);
  }
}
