// AssemblyScript, compiled into ../simd-binary.ts by build.mjs (see conv2d-filter-grad.as).
//
// The matrix products of a dense layer's training step, for the whole-step kernel
// (../dense-step.ts): forward x W, the weight gradient x^T dz and the input gradient dz W^T
// (as a product with W transposed). Blocks of 4 rows by 8 columns: eight accumulators, two
// vector loads and four broadcast loads per step of the shared dimension, which fits the
// sixteen vector registers V8 allocates on x64. Row-major, float32, byte pointers.

/**
 * out = act(a b + bias), a [m, k], b [k, n], out [m, n]:
 *
 *   out[i, j] = act(bias[j] + sum over p of a[i, p] * b[p, j])
 *
 * `bias` 0 means none; relu != 0 applies max(., 0); `mask` (0 for none, else [m, n]) zeroes
 * every entry whose mask entry is not positive (the relu gradient of the layer before).
 */
export function gemmNN(
  a: usize,
  b: usize,
  bias: usize,
  mask: usize,
  out: usize,
  m: i32,
  k: i32,
  n: i32,
  relu: i32,
): void {
  const lda = <usize>k << 2;
  const ldb = <usize>n << 2;
  let j = 0;
  for (; j + 8 <= n; j += 8) {
    const bj = b + (<usize>j << 2);
    let i = 0;
    for (; i + 4 <= m; i += 4) {
      const a0 = a + <usize>i * lda;
      let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
      let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
      let pa = a0;
      let pb = bj;
      const end = a0 + lda;
      for (; pa < end; pa += 4, pb += ldb) {
        const b0 = v128.load(pb);
        const b1 = v128.load(pb, 16);
        const x0 = v128.load32_splat(pa);
        c00 = f32x4.add(c00, f32x4.mul(x0, b0));
        c01 = f32x4.add(c01, f32x4.mul(x0, b1));
        const x1 = v128.load32_splat(pa + lda);
        c10 = f32x4.add(c10, f32x4.mul(x1, b0));
        c11 = f32x4.add(c11, f32x4.mul(x1, b1));
        const x2 = v128.load32_splat(pa + 2 * lda);
        c20 = f32x4.add(c20, f32x4.mul(x2, b0));
        c21 = f32x4.add(c21, f32x4.mul(x2, b1));
        const x3 = v128.load32_splat(pa + 3 * lda);
        c30 = f32x4.add(c30, f32x4.mul(x3, b0));
        c31 = f32x4.add(c31, f32x4.mul(x3, b1));
      }
      const o = out + ((<usize>i * <usize>n + <usize>j) << 2);
      finish(o, c00, c01, bias, mask, j, o - out, relu);
      finish(o + ldb, c10, c11, bias, mask, j, o - out + ldb, relu);
      finish(o + 2 * ldb, c20, c21, bias, mask, j, o - out + 2 * ldb, relu);
      finish(o + 3 * ldb, c30, c31, bias, mask, j, o - out + 3 * ldb, relu);
    }
    for (; i < m; i++) {
      let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
      let pa = a + <usize>i * lda;
      let pb = bj;
      const end = pa + lda;
      for (; pa < end; pa += 4, pb += ldb) {
        const x0 = v128.load32_splat(pa);
        c0 = f32x4.add(c0, f32x4.mul(x0, v128.load(pb)));
        c1 = f32x4.add(c1, f32x4.mul(x0, v128.load(pb, 16)));
      }
      const offset = (<usize>i * <usize>n + <usize>j) << 2;
      finish(out + offset, c0, c1, bias, mask, j, offset, relu);
    }
  }
  for (; j + 4 <= n; j += 4) {
    for (let i = 0; i < m; i++) {
      let c0 = f32x4.splat(0);
      let pa = a + <usize>i * lda;
      let pb = b + (<usize>j << 2);
      const end = pa + lda;
      for (; pa < end; pa += 4, pb += ldb) c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(pa), v128.load(pb)));
      const offset = (<usize>i * <usize>n + <usize>j) << 2;
      v128.store(out + offset, epilogue(c0, bias, mask, j, offset, relu));
    }
  }
  if (j < n) {
    // The last n - j < 4 columns as a vector of four with the lanes past n unused: every row of
    // b but the last is read four wide (the extra lanes are the next row's first entries).
    const c = n - j;
    for (let i = 0; i < m; i++) {
      let c0 = f32x4.splat(0);
      let pa = a + <usize>i * lda;
      let pb = b + (<usize>j << 2);
      const last = pa + lda - 4;
      for (; pa < last; pa += 4, pb += ldb) c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(pa), v128.load(pb)));
      c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(pa), loadTail(pb, c)));
      if (bias != 0) c0 = f32x4.add(c0, loadTail(bias + (<usize>j << 2), c));
      if (relu != 0) c0 = f32x4.max(c0, f32x4.splat(0));
      const offset = (<usize>i * <usize>n + <usize>j) << 2;
      if (mask != 0) c0 = v128.and(c0, f32x4.gt(loadTail(mask + offset, c), f32x4.splat(0)));
      storeTail(out + offset, c0, c);
    }
  }
}

/** The c (1 to 3) floats at p in the first lanes of a vector, zeros after. */
// @ts-ignore: decorator
@inline
function loadTail(p: usize, c: i32): v128 {
  let v = f32x4.replace_lane(f32x4.splat(0), 0, load<f32>(p));
  if (c > 1) v = f32x4.replace_lane(v, 1, load<f32>(p, 4));
  if (c > 2) v = f32x4.replace_lane(v, 2, load<f32>(p, 8));
  return v;
}

/** Stores the first c (1 to 3) lanes of v at p. */
// @ts-ignore: decorator
@inline
function storeTail(p: usize, v: v128, c: i32): void {
  store<f32>(p, f32x4.extract_lane(v, 0));
  if (c > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4);
  if (c > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8);
}

/** Bias, relu and mask of four outputs starting at column j, byte `offset` into out / mask. */
// @ts-ignore: decorator
@inline
function epilogue(c: v128, bias: usize, mask: usize, j: i32, offset: usize, relu: i32): v128 {
  if (bias != 0) c = f32x4.add(c, v128.load(bias + (<usize>j << 2)));
  if (relu != 0) c = f32x4.max(c, f32x4.splat(0));
  if (mask != 0) c = v128.and(c, f32x4.gt(v128.load(mask + offset), f32x4.splat(0)));
  return c;
}

// @ts-ignore: decorator
@inline
function finish(o: usize, c0: v128, c1: v128, bias: usize, mask: usize, j: i32, offset: usize, relu: i32): void {
  v128.store(o, epilogue(c0, bias, mask, j, offset, relu));
  v128.store(o, epilogue(c1, bias, mask, j + 4, offset + 16, relu), 16);
}

/**
 * out = a^T b, a [r, m], b [r, n], out [m, n] (the weight gradient x^T dz of a dense layer):
 *
 *   out[i, j] = sum over t of a[t, i] * b[t, j]
 *
 * Blocks of 4 columns of a by 8 columns of b, accumulated down all r rows.
 */
export function gemmTN(a: usize, b: usize, out: usize, r: i32, m: i32, n: i32): void {
  const lda = <usize>m << 2;
  const ldb = <usize>n << 2;
  const rows = <usize>r;
  let j = 0;
  for (; j + 8 <= n; j += 8) {
    let i = 0;
    for (; i + 4 <= m; i += 4) {
      let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
      let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
      let pa = a + (<usize>i << 2);
      let pb = b + (<usize>j << 2);
      for (let t: usize = 0; t < rows; t++, pa += lda, pb += ldb) {
        const b0 = v128.load(pb);
        const b1 = v128.load(pb, 16);
        const x0 = v128.load32_splat(pa);
        c00 = f32x4.add(c00, f32x4.mul(x0, b0));
        c01 = f32x4.add(c01, f32x4.mul(x0, b1));
        const x1 = v128.load32_splat(pa, 4);
        c10 = f32x4.add(c10, f32x4.mul(x1, b0));
        c11 = f32x4.add(c11, f32x4.mul(x1, b1));
        const x2 = v128.load32_splat(pa, 8);
        c20 = f32x4.add(c20, f32x4.mul(x2, b0));
        c21 = f32x4.add(c21, f32x4.mul(x2, b1));
        const x3 = v128.load32_splat(pa, 12);
        c30 = f32x4.add(c30, f32x4.mul(x3, b0));
        c31 = f32x4.add(c31, f32x4.mul(x3, b1));
      }
      const o = out + ((<usize>i * <usize>n + <usize>j) << 2);
      v128.store(o, c00);
      v128.store(o, c01, 16);
      v128.store(o + ldb, c10);
      v128.store(o + ldb, c11, 16);
      v128.store(o + 2 * ldb, c20);
      v128.store(o + 2 * ldb, c21, 16);
      v128.store(o + 3 * ldb, c30);
      v128.store(o + 3 * ldb, c31, 16);
    }
    for (; i < m; i++) {
      let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
      let pa = a + (<usize>i << 2);
      let pb = b + (<usize>j << 2);
      for (let t: usize = 0; t < rows; t++, pa += lda, pb += ldb) {
        const x0 = v128.load32_splat(pa);
        c0 = f32x4.add(c0, f32x4.mul(x0, v128.load(pb)));
        c1 = f32x4.add(c1, f32x4.mul(x0, v128.load(pb, 16)));
      }
      const o = out + ((<usize>i * <usize>n + <usize>j) << 2);
      v128.store(o, c0);
      v128.store(o, c1, 16);
    }
  }
  for (; j + 4 <= n; j += 4) {
    let i = 0;
    for (; i + 4 <= m; i += 4) {
      let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
      let pa = a + (<usize>i << 2);
      let pb = b + (<usize>j << 2);
      for (let t: usize = 0; t < rows; t++, pa += lda, pb += ldb) {
        const b0 = v128.load(pb);
        c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(pa), b0));
        c1 = f32x4.add(c1, f32x4.mul(v128.load32_splat(pa, 4), b0));
        c2 = f32x4.add(c2, f32x4.mul(v128.load32_splat(pa, 8), b0));
        c3 = f32x4.add(c3, f32x4.mul(v128.load32_splat(pa, 12), b0));
      }
      const o = out + ((<usize>i * <usize>n + <usize>j) << 2);
      v128.store(o, c0);
      v128.store(o + ldb, c1);
      v128.store(o + 2 * ldb, c2);
      v128.store(o + 3 * ldb, c3);
    }
    for (; i < m; i++) {
      let c0 = f32x4.splat(0);
      let pa = a + (<usize>i << 2);
      let pb = b + (<usize>j << 2);
      for (let t: usize = 0; t < rows; t++, pa += lda, pb += ldb)
        c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(pa), v128.load(pb)));
      v128.store(out + ((<usize>i * <usize>n + <usize>j) << 2), c0);
    }
  }
  if (j < n) {
    // The last n - j < 4 columns four wide, lanes past n unused (see gemmNN): every row of b
    // but the last read as a vector.
    const c = n - j;
    const lastRow = rows - 1;
    let i = 0;
    for (; i + 4 <= m; i += 4) {
      let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
      let pa = a + (<usize>i << 2);
      let pb = b + (<usize>j << 2);
      for (let t: usize = 0; t < rows; t++, pa += lda, pb += ldb) {
        const b0 = t < lastRow ? v128.load(pb) : loadTail(pb, c);
        c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(pa), b0));
        c1 = f32x4.add(c1, f32x4.mul(v128.load32_splat(pa, 4), b0));
        c2 = f32x4.add(c2, f32x4.mul(v128.load32_splat(pa, 8), b0));
        c3 = f32x4.add(c3, f32x4.mul(v128.load32_splat(pa, 12), b0));
      }
      const o = out + ((<usize>i * <usize>n + <usize>j) << 2);
      storeTail(o, c0, c);
      storeTail(o + ldb, c1, c);
      storeTail(o + 2 * ldb, c2, c);
      storeTail(o + 3 * ldb, c3, c);
    }
    for (; i < m; i++) {
      let c0 = f32x4.splat(0);
      let pa = a + (<usize>i << 2);
      let pb = b + (<usize>j << 2);
      for (let t: usize = 0; t < rows; t++, pa += lda, pb += ldb)
        c0 = f32x4.add(c0, f32x4.mul(v128.load32_splat(pa), t < lastRow ? v128.load(pb) : loadTail(pb, c)));
      storeTail(out + ((<usize>i * <usize>n + <usize>j) << 2), c0, c);
    }
  }
}

/** out [n, m] = a^T for a [m, n]. */
export function transpose(a: usize, out: usize, m: i32, n: i32): void {
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++)
      store<f32>(out + ((<usize>j * <usize>m + <usize>i) << 2), load<f32>(a + ((<usize>i * <usize>n + <usize>j) << 2)));
}
