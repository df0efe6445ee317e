/** A point or feature vector: plain numbers (an array or a typed array). */
export type Vector = ArrayLike<number>;

/** Checks that `a` and `b` have the same, non-zero length; `where` names the caller in errors. */
export function checkSameLength(a: Vector, b: Vector, where: string): number {
  if (a.length !== b.length) {
    throw new Error(`${where}: vectors must have the same length, got ${a.length} and ${b.length}`);
  }
  if (a.length === 0) throw new Error(`${where}: vectors must not be empty`);
  return a.length;
}

/** Dot product: a . b = sum_i a_i b_i. `dot([1, 2], [3, 4])` is 11. */
export function dot(a: Vector, b: Vector): number {
  const n = checkSameLength(a, b, 'dot');
  let sum = 0;
  for (let i = 0; i < n; i++) sum += a[i]! * b[i]!;
  return sum;
}

/** Euclidean length: ||a|| = sqrt(a . a). `norm([3, 4])` is 5. */
export function norm(a: Vector): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * a[i]!;
  return Math.sqrt(sum);
}

/**
 * Euclidean (straight-line) distance: d(a, b) = sqrt(sum_i (a_i - b_i)^2).
 * `euclideanDistance([0, 0], [3, 4])` is 5.
 */
export function euclideanDistance(a: Vector, b: Vector): number {
  const n = checkSameLength(a, b, 'euclideanDistance');
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    sum += d * d;
  }
  return Math.sqrt(sum);
}

/**
 * Cosine similarity: cos(a, b) = a . b / (||a|| ||b||), in [-1, 1]; 1 for vectors pointing
 * the same way whatever their lengths. `cosineSimilarity([1, 0], [1, 1])` is 1 / sqrt(2) =
 * 0.7071. Undefined for a zero vector, which is an error.
 */
export function cosineSimilarity(a: Vector, b: Vector): number {
  checkSameLength(a, b, 'cosineSimilarity');
  const na = norm(a);
  const nb = norm(b);
  if (na === 0 || nb === 0) {
    throw new Error(
      `cosineSimilarity: undefined for a zero vector, got lengths ||a|| = ${na}, ||b|| = ${nb}`,
    );
  }
  // Clamped: rounding can push |cos| a hair above 1 for parallel vectors.
  return Math.max(-1, Math.min(1, dot(a, b) / (na * nb)));
}

/**
 * Cosine distance: 1 - cos(a, b), in [0, 2]; 0 for vectors pointing the same way.
 * `cosineDistance([1, 0], [0, 1])` is 1.
 */
export function cosineDistance(a: Vector, b: Vector): number {
  return 1 - cosineSimilarity(a, b);
}

/** The distances {@link knn} knows, by name. */
export type DistanceName = 'euclidean' | 'cosine';

/** The function behind a {@link DistanceName}. */
export function distanceFunction(name: DistanceName): (a: Vector, b: Vector) => number {
  if (name === 'euclidean') return euclideanDistance;
  if (name === 'cosine') return cosineDistance;
  throw new Error(`unknown distance "${String(name)}", expected 'euclidean' or 'cosine'`);
}
