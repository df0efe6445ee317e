import type { Matrix } from './solve.js';

/**
 * Least squares: the x minimising ||A x - b||^2, for A with at least as many rows as columns
 * and independent columns. Solved by Householder QR (A = QR, then R x = Q^T b), which avoids
 * forming A^T A: the normal equations square the condition number, and polynomial features
 * of high degree are badly conditioned already. Example: the line through (0, 0), (1, 1),
 * (2, 3) fitted as A = [[1, 0], [1, 1], [1, 2]], b = [0, 1, 3] gives x = [-1/6, 3/2].
 * Paper: Householder 1958, "Unitary triangularization of a nonsymmetric matrix",
 * https://doi.org/10.1145/320941.320947
 */
export function leastSquares(a: Matrix, b: readonly number[]): number[] {
  const rows = a.length;
  const cols = a[0]?.length ?? 0;
  if (cols === 0 || a.some((r) => r.length !== cols)) {
    throw new Error(
      `leastSquares: A must be a non-empty matrix with rows of equal length, got lengths [${a.map((r) => r.length)}]`,
    );
  }
  if (rows < cols) {
    throw new Error(
      `leastSquares: A has ${rows} rows for ${cols} unknowns; needs at least as many rows`,
    );
  }
  if (b.length !== rows)
    throw new Error(`leastSquares: b has ${b.length} values, expected ${rows}`);
  const r = a.map((row) => [...row]);
  const y = [...b];
  const scale = Math.max(...a.flat().map(Math.abs));
  for (let k = 0; k < cols; k++) {
    // Householder reflection v that maps column k (rows k..) onto a multiple of e_k.
    let normK = 0;
    for (let i = k; i < rows; i++) normK += r[i]![k]! ** 2;
    normK = Math.sqrt(normK);
    if (!(normK > 1e-12 * scale)) {
      throw new Error(`leastSquares: the columns of A are dependent (column ${k})`);
    }
    const alpha = r[k]![k]! > 0 ? -normK : normK;
    const v = new Array<number>(rows).fill(0);
    for (let i = k; i < rows; i++) v[i] = r[i]![k]!;
    v[k]! -= alpha;
    let vv = 0;
    for (let i = k; i < rows; i++) vv += v[i]! ** 2;
    // Apply I - 2 v v^T / (v^T v) to the remaining columns and to y.
    for (let j = k; j < cols; j++) {
      let s = 0;
      for (let i = k; i < rows; i++) s += v[i]! * r[i]![j]!;
      const f = (2 * s) / vv;
      for (let i = k; i < rows; i++) r[i]![j]! -= f * v[i]!;
    }
    let s = 0;
    for (let i = k; i < rows; i++) s += v[i]! * y[i]!;
    const f = (2 * s) / vv;
    for (let i = k; i < rows; i++) y[i]! -= f * v[i]!;
  }
  // Back substitution on the upper-triangular R.
  const x = new Array<number>(cols).fill(0);
  for (let i = cols - 1; i >= 0; i--) {
    let sum = y[i]!;
    for (let j = i + 1; j < cols; j++) sum -= r[i]![j]! * x[j]!;
    x[i] = sum / r[i]![i]!;
  }
  return x;
}
