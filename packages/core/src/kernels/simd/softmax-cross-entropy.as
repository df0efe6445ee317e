// AssemblyScript, compiled into ../simd-binary.ts by build.mjs (see conv2d-filter-grad.as).

/**
 * Softmax cross-entropy of logits [n, c] against class ids [n] (int32), mean over the rows,
 * and its gradient with respect to the logits, in one pass:
 *
 *   loss = (1/n) * sum_i (logsumexp(z_i) - z_i[y_i])
 *   grad[i, j] = (softmax(z_i)_j - [j == y_i]) / n
 *
 * with logsumexp(z) = m + log(sum_j exp(z_j - m)), m = max_j z_j, for stability. tfjs's
 * composite spends about fifteen kernels on this (max, subtract, exp, sum, log, one-hot, ...).
 * A label outside [0, c) gives NaN for its row (as no class can match it).
 */
export function softmaxCrossEntropy(
  logits: usize,
  labels: usize,
  loss: usize,
  grad: usize,
  n: i32,
  c: i32,
): void {
  let total: f64 = 0;
  const scale = <f32>(1.0 / <f64>n);
  const rowBytes = <usize>c << 2;
  for (let i = 0; i < n; i++) {
    const z = logits + <usize>i * rowBytes;
    const g = grad + <usize>i * rowBytes;
    let m = load<f32>(z);
    for (let j = 1; j < c; j++) m = max(m, load<f32>(z + (<usize>j << 2)));
    let sum: f32 = 0;
    for (let j = 0; j < c; j++) {
      const e = Mathf.exp(load<f32>(z + (<usize>j << 2)) - m);
      store<f32>(g + (<usize>j << 2), e);
      sum += e;
    }
    const label = load<i32>(labels + (<usize>i << 2));
    const inRange = label >= 0 && label < c;
    const picked = inRange ? load<f32>(z + (<usize>label << 2)) : NaN;
    total += <f64>(m + Mathf.log(sum) - picked);
    const inverse = <f32>1 / sum;
    for (let j = 0; j < c; j++) {
      const p = load<f32>(g + (<usize>j << 2)) * inverse;
      store<f32>(g + (<usize>j << 2), (j == label ? p - 1 : p) * scale);
    }
  }
  store<f32>(loss, <f32>(total / <f64>n));
}
