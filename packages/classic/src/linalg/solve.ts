/** A dense matrix as rows: `m[i][j]` is row i, column j. */
export type Matrix = readonly (readonly number[])[];

/**
 * Solves the square system A x = b by Gaussian elimination with partial pivoting (the row
 * with the largest pivot is swapped up at each step, which keeps rounding errors small).
 * `solveLinear([[2, 1], [1, 3]], [3, 5])` is [0.8, 1.4]. A (numerically) singular A is an
 * error.
 */
export function solveLinear(a: Matrix, b: readonly number[]): number[] {
  const n = a.length;
  if (n === 0 || a.some((row) => row.length !== n)) {
    throw new Error(
      `solveLinear: A must be square, got ${n} rows of lengths [${a.map((r) => r.length)}]`,
    );
  }
  if (b.length !== n) throw new Error(`solveLinear: b has ${b.length} values, expected ${n}`);
  // Augmented copy [A | b].
  const m = a.map((row, i) => [...row, b[i]!]);
  const scale = Math.max(...a.flat().map(Math.abs));
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++)
      if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    if (!(Math.abs(m[pivot]![col]!) > 1e-12 * scale)) {
      throw new Error(`solveLinear: A is singular (no pivot in column ${col})`);
    }
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    const p = m[col]!;
    for (let r = col + 1; r < n; r++) {
      const row = m[r]!;
      const factor = row[col]! / p[col]!;
      for (let c = col; c <= n; c++) row[c]! -= factor * p[c]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    const row = m[i]!;
    let sum = row[n]!;
    for (let j = i + 1; j < n; j++) sum -= row[j]! * x[j]!;
    x[i] = sum / row[i]!;
  }
  return x;
}
