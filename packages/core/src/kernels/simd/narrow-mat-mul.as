// AssemblyScript, compiled into ../simd-binary.ts by build.mjs (see conv2d-filter-grad.as).
//
// Matrix products with few output columns (n <= 16), as a classifier head has: XNNPACK packs
// the columns in panels of 8, so 10 columns run at about half its speed, and tfjs-backend-wasm
// transposes an operand in a separate copy first. Here the long dimension is the vector one.

/**
 * out = x W (+ bias) (relu), x [rows, inner], W [inner, n], out [rows, n]:
 *
 *   out[r, j] = act(bias[j] + sum over i of x[r, i] * W[i, j])
 *
 * W is first transposed into `wT` [n, inner] (scratch the caller allocates), so each output
 * is one dot product of two contiguous rows, four accumulators wide.
 */
export function narrowMatMul(
  x: usize,
  w: usize,
  wT: usize,
  bias: usize,
  out: usize,
  rows: i32,
  inner: i32,
  n: i32,
  relu: i32,
): void {
  for (let i = 0; i < inner; i++)
    for (let j = 0; j < n; j++)
      store<f32>(wT + ((<usize>j * <usize>inner + <usize>i) << 2), load<f32>(w + ((<usize>i * <usize>n + <usize>j) << 2)));
  const rowBytes = <usize>inner << 2;
  const blocks = <usize>(inner >> 4) << 6;
  const vectors = <usize>(inner >> 2) << 4;
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * rowBytes;
    for (let j = 0; j < n; j++) {
      const wr = wT + <usize>j * rowBytes;
      let a0 = f32x4.splat(0);
      let a1 = f32x4.splat(0);
      let a2 = f32x4.splat(0);
      let a3 = f32x4.splat(0);
      let i: usize = 0;
      for (; i < blocks; i += 64) {
        a0 = f32x4.add(a0, f32x4.mul(v128.load(xr + i), v128.load(wr + i)));
        a1 = f32x4.add(a1, f32x4.mul(v128.load(xr + i + 16), v128.load(wr + i + 16)));
        a2 = f32x4.add(a2, f32x4.mul(v128.load(xr + i + 32), v128.load(wr + i + 32)));
        a3 = f32x4.add(a3, f32x4.mul(v128.load(xr + i + 48), v128.load(wr + i + 48)));
      }
      for (; i < vectors; i += 16) a0 = f32x4.add(a0, f32x4.mul(v128.load(xr + i), v128.load(wr + i)));
      const s = f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3));
      let sum = f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3);
      for (; i < rowBytes; i += 4) sum += load<f32>(xr + i) * load<f32>(wr + i);
      if (bias != 0) sum += load<f32>(bias + (<usize>j << 2));
      if (relu != 0 && !(sum > 0)) sum = 0;
      store<f32>(out + ((<usize>r * <usize>n + <usize>j) << 2), sum);
    }
  }
}

/**
 * out = a^T b, a [k, m], b [k, n], out [m, n] (the weight gradient x^T dz of a dense layer):
 *
 *   out[i, j] = sum over r of a[r, i] * b[r, j]
 *
 * accumulated as outT [n, m] (scratch) four rows of a at a time, vectors along m, then
 * transposed into out.
 */
export function narrowMatMulTN(a: usize, b: usize, outT: usize, out: usize, k: i32, m: i32, n: i32): void {
  const rowBytes = <usize>m << 2;
  memory.fill(outT, 0, <usize>n * rowBytes);
  const vectors = <usize>(m >> 2) << 4;
  let r = 0;
  for (; r + 4 <= k; r += 4) {
    const a0 = a + <usize>r * rowBytes;
    const a1 = a0 + rowBytes;
    const a2 = a1 + rowBytes;
    const a3 = a2 + rowBytes;
    for (let j = 0; j < n; j++) {
      const b0 = load<f32>(b + ((<usize>r * <usize>n + <usize>j) << 2));
      const b1 = load<f32>(b + ((<usize>(r + 1) * <usize>n + <usize>j) << 2));
      const b2 = load<f32>(b + ((<usize>(r + 2) * <usize>n + <usize>j) << 2));
      const b3 = load<f32>(b + ((<usize>(r + 3) * <usize>n + <usize>j) << 2));
      const s0 = f32x4.splat(b0);
      const s1 = f32x4.splat(b1);
      const s2 = f32x4.splat(b2);
      const s3 = f32x4.splat(b3);
      const o = outT + <usize>j * rowBytes;
      let i: usize = 0;
      for (; i < vectors; i += 16) {
        let acc = v128.load(o + i);
        acc = f32x4.add(acc, f32x4.add(f32x4.mul(s0, v128.load(a0 + i)), f32x4.mul(s1, v128.load(a1 + i))));
        acc = f32x4.add(acc, f32x4.add(f32x4.mul(s2, v128.load(a2 + i)), f32x4.mul(s3, v128.load(a3 + i))));
        v128.store(o + i, acc);
      }
      for (; i < rowBytes; i += 4)
        store<f32>(o + i, load<f32>(o + i) + b0 * load<f32>(a0 + i) + b1 * load<f32>(a1 + i) + b2 * load<f32>(a2 + i) + b3 * load<f32>(a3 + i));
    }
  }
  for (; r < k; r++) {
    const ar = a + <usize>r * rowBytes;
    for (let j = 0; j < n; j++) {
      const bv = load<f32>(b + ((<usize>r * <usize>n + <usize>j) << 2));
      const s = f32x4.splat(bv);
      const o = outT + <usize>j * rowBytes;
      let i: usize = 0;
      for (; i < vectors; i += 16) v128.store(o + i, f32x4.add(v128.load(o + i), f32x4.mul(s, v128.load(ar + i))));
      for (; i < rowBytes; i += 4) store<f32>(o + i, load<f32>(o + i) + bv * load<f32>(ar + i));
    }
  }
  for (let j = 0; j < n; j++)
    for (let i = 0; i < m; i++)
      store<f32>(out + ((<usize>i * <usize>n + <usize>j) << 2), load<f32>(outT + ((<usize>j * <usize>m + <usize>i) << 2)));
}
