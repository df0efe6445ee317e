// AssemblyScript, compiled into ../simd-binary.ts by build.mjs (see conv2d-filter-grad.as).
//
// Matrix products for the whole-step dense kernel (../dense-step.ts) and the convolutions
// (conv.as): forward a b, weight gradients a^T b, input gradients as products with a
// transposed copy. Blocks of 4 rows by 8 columns: eight accumulators, two vector loads and
// four broadcast loads per step of the shared dimension, which fits the sixteen vector
// registers V8 allocates on x64 (about 27 GMAC/s on the development machine, XNNPACK's
// matMul about 14). Row-major float32; pointers are byte offsets, leading dimensions (row
// strides) are in floats, so a block of a larger matrix can be one operand.

/**
 * out = act(a b + bias) (+ out when accumulating), a [m, k], b [k, n], out [m, n]:
 *
 *   out[i, j] = act(bias[j] + sum over p of a[i, p] * b[p, j] (+ out[i, j]))
 *
 * `bias` 0 means none; relu != 0 applies max(., 0); `mask` (0 for none, else laid out as out)
 * zeroes every entry whose mask entry is not positive (the relu gradient of the layer
 * before); accumulate != 0 adds the product to what out holds.
 */
export function gemmNN(
  a: usize, lda: i32, b: usize, ldb: i32, out: usize, ldc: i32,
  m: i32, k: i32, n: i32, bias: usize, mask: usize, relu: i32, accumulate: i32,
): void {
  const sa = <usize>lda << 2;
  const sb = <usize>ldb << 2;
  const sc = <usize>ldc << 2;
  const kBytes = <usize>k << 2;
  if (n > 8 && n <= 12 && k > 0 && mask == 0 && accumulate == 0) {
    narrowNN(a, sa, b, sb, out, sc, m, k, n, bias, relu);
    return;
  }
  let j = 0;
  for (; j + 8 <= n; j += 8) {
    const bj = b + (<usize>j << 2);
    let i = 0;
    for (; i + 4 <= m; i += 4) {
      const o = out + <usize>i * sc + (<usize>j << 2);
      let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
      let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
      if (accumulate != 0) {
        c00 = v128.load(o); c01 = v128.load(o, 16);
        c10 = v128.load(o + sc); c11 = v128.load(o + sc, 16);
        c20 = v128.load(o + 2 * sc); c21 = v128.load(o + 2 * sc, 16);
        c30 = v128.load(o + 3 * sc); c31 = v128.load(o + 3 * sc, 16);
      }
      let pa = a + <usize>i * sa;
      let pb = bj;
      const end = pa + kBytes;
      for (; pa < end; pa += 4, pb += sb) {
        const b0 = v128.load(pb);
        const b1 = v128.load(pb, 16);
        const x0 = v128.load32_splat(pa);
        c00 = madd(x0, b0, c00);
        c01 = madd(x0, b1, c01);
        const x1 = v128.load32_splat(pa + sa);
        c10 = madd(x1, b0, c10);
        c11 = madd(x1, b1, c11);
        const x2 = v128.load32_splat(pa + 2 * sa);
        c20 = madd(x2, b0, c20);
        c21 = madd(x2, b1, c21);
        const x3 = v128.load32_splat(pa + 3 * sa);
        c30 = madd(x3, b0, c30);
        c31 = madd(x3, b1, c31);
      }
      const mo = mask + (o - out);
      finish(o, c00, c01, bias, mask, mo, j, relu);
      finish(o + sc, c10, c11, bias, mask, mo + sc, j, relu);
      finish(o + 2 * sc, c20, c21, bias, mask, mo + 2 * sc, j, relu);
      finish(o + 3 * sc, c30, c31, bias, mask, mo + 3 * sc, j, relu);
    }
    for (; i < m; i++) {
      const o = out + <usize>i * sc + (<usize>j << 2);
      let c0 = accumulate != 0 ? v128.load(o) : f32x4.splat(0);
      let c1 = accumulate != 0 ? v128.load(o, 16) : f32x4.splat(0);
      let pa = a + <usize>i * sa;
      let pb = bj;
      const end = pa + kBytes;
      for (; pa < end; pa += 4, pb += sb) {
        const x0 = v128.load32_splat(pa);
        c0 = madd(x0, v128.load(pb), c0);
        c1 = madd(x0, v128.load(pb, 16), c1);
      }
      finish(o, c0, c1, bias, mask, mask + (o - out), j, relu);
    }
  }
  for (; j + 4 <= n; j += 4) {
    for (let i = 0; i < m; i++) {
      const o = out + <usize>i * sc + (<usize>j << 2);
      let c0 = accumulate != 0 ? v128.load(o) : f32x4.splat(0);
      let pa = a + <usize>i * sa;
      let pb = b + (<usize>j << 2);
      const end = pa + kBytes;
      for (; pa < end; pa += 4, pb += sb) c0 = madd(v128.load32_splat(pa), v128.load(pb), c0);
      v128.store(o, epilogue(c0, bias, mask, mask + (o - out), j, relu));
    }
  }
  if (j < n) {
    // The last n - j < 4 columns as a vector of four with the lanes past n unused: every row of
    // b but the last is read four wide (the extra lanes are the next row's first entries).
    const c = n - j;
    for (let i = 0; i < m; i++) {
      const o = out + <usize>i * sc + (<usize>j << 2);
      let c0 = accumulate != 0 ? loadTail(o, c) : f32x4.splat(0);
      let pa = a + <usize>i * sa;
      let pb = b + (<usize>j << 2);
      if (k > 0) {
        const last = pa + kBytes - 4;
        for (; pa < last; pa += 4, pb += sb) c0 = madd(v128.load32_splat(pa), v128.load(pb), c0);
        c0 = madd(v128.load32_splat(pa), loadTail(pb, c), c0);
      }
      if (bias != 0) c0 = f32x4.add(c0, loadTail(bias + (<usize>j << 2), c));
      if (relu != 0) c0 = f32x4.max(c0, f32x4.splat(0));
      if (mask != 0) c0 = v128.and(c0, f32x4.gt(loadTail(mask + (o - out), c), f32x4.splat(0)));
      storeTail(o, c0, c);
    }
  }
}

/** Up to 4 floats at p: a whole vector when c is 4, else loadTail. */
// @ts-ignore: decorator
@inline
function loadUpTo4(p: usize, c: i32): v128 {
  return c == 4 ? v128.load(p) : loadTail(p, c);
}

/** Stores the first c (1 to 4) lanes of v at p. */
// @ts-ignore: decorator
@inline
function storeUpTo4(p: usize, v: v128, c: i32): void {
  if (c == 4) v128.store(p, v);
  else storeTail(p, v, c);
}

/**
 * gemmNN for 9 to 12 columns (a classifier head of 10 classes): blocks of 2 rows by all 12
 * columns (three vectors, the last partly used), so no column is left to a slower tail loop.
 * Byte strides; bias and relu as gemmNN, no mask or accumulation.
 */
function narrowNN(
  a: usize, sa: usize, b: usize, sb: usize, out: usize, sc: usize,
  m: i32, k: i32, n: i32, bias: usize, relu: i32,
): void {
  const c = n - 8;
  // Every row of b but the last is read 12 wide (past n: the next row's first entries).
  const lastBytes = <usize>(k - 1) << 2;
  const lastRow = b + <usize>(k - 1) * sb;
  const zero = f32x4.splat(0);
  const bias0 = bias != 0 ? v128.load(bias) : zero;
  const bias1 = bias != 0 ? v128.load(bias, 16) : zero;
  const bias2 = bias != 0 ? loadUpTo4(bias + 32, c) : zero;
  const l0 = v128.load(lastRow);
  const l1 = v128.load(lastRow, 16);
  const l2 = loadUpTo4(lastRow + 32, c);
  let i = 0;
  for (; i + 2 <= m; i += 2) {
    let c00 = zero, c01 = zero, c02 = zero, c10 = zero, c11 = zero, c12 = zero;
    let pa = a + <usize>i * sa;
    let pb = b;
    const end = pa + lastBytes;
    for (; pa < end; pa += 4, pb += sb) {
      const b0 = v128.load(pb);
      const b1 = v128.load(pb, 16);
      const b2 = v128.load(pb, 32);
      const x0 = v128.load32_splat(pa);
      c00 = madd(x0, b0, c00); c01 = madd(x0, b1, c01); c02 = madd(x0, b2, c02);
      const x1 = v128.load32_splat(pa + sa);
      c10 = madd(x1, b0, c10); c11 = madd(x1, b1, c11); c12 = madd(x1, b2, c12);
    }
    const x0 = v128.load32_splat(pa);
    c00 = madd(x0, l0, c00); c01 = madd(x0, l1, c01); c02 = madd(x0, l2, c02);
    const x1 = v128.load32_splat(pa + sa);
    c10 = madd(x1, l0, c10); c11 = madd(x1, l1, c11); c12 = madd(x1, l2, c12);
    const o = out + <usize>i * sc;
    storeNarrow(o, c00, c01, c02, bias0, bias1, bias2, c, relu);
    storeNarrow(o + sc, c10, c11, c12, bias0, bias1, bias2, c, relu);
  }
  for (; i < m; i++) {
    let c0 = zero, c1 = zero, c2 = zero;
    let pa = a + <usize>i * sa;
    let pb = b;
    const end = pa + lastBytes;
    for (; pa < end; pa += 4, pb += sb) {
      const x0 = v128.load32_splat(pa);
      c0 = madd(x0, v128.load(pb), c0);
      c1 = madd(x0, v128.load(pb, 16), c1);
      c2 = madd(x0, v128.load(pb, 32), c2);
    }
    const x0 = v128.load32_splat(pa);
    c0 = madd(x0, l0, c0);
    c1 = madd(x0, l1, c1);
    c2 = madd(x0, l2, c2);
    storeNarrow(out + <usize>i * sc, c0, c1, c2, bias0, bias1, bias2, c, relu);
  }
}

// @ts-ignore: decorator
@inline
function storeNarrow(o: usize, c0: v128, c1: v128, c2: v128, b0: v128, b1: v128, b2: v128, c: i32, relu: i32): void {
  c0 = f32x4.add(c0, b0);
  c1 = f32x4.add(c1, b1);
  c2 = f32x4.add(c2, b2);
  if (relu != 0) {
    const zero = f32x4.splat(0);
    c0 = f32x4.max(c0, zero);
    c1 = f32x4.max(c1, zero);
    c2 = f32x4.max(c2, zero);
  }
  v128.store(o, c0);
  v128.store(o, c1, 16);
  storeUpTo4(o + 32, c2, c);
}

/**
 * c + a * b, four lanes: one fused multiply-add where the module is built with relaxed SIMD
 * (f32x4.relaxed_madd; about 13% faster products on the development machine), a multiply and
 * an add otherwise. build.mjs compiles both modules; simd-kernels.ts loads the relaxed one
 * where the engine validates it.
 */
// @ts-ignore: decorator
@inline
export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/** Bias, relu and mask of four outputs starting at column j; `mo` points at their mask entries. */
// @ts-ignore: decorator
@inline
function epilogue(c: v128, bias: usize, mask: usize, mo: usize, j: i32, relu: i32): v128 {
  if (bias != 0) c = f32x4.add(c, v128.load(bias + (<usize>j << 2)));
  if (relu != 0) c = f32x4.max(c, f32x4.splat(0));
  if (mask != 0) c = v128.and(c, f32x4.gt(v128.load(mo), f32x4.splat(0)));
  return c;
}

// @ts-ignore: decorator
@inline
function finish(o: usize, c0: v128, c1: v128, bias: usize, mask: usize, mo: usize, j: i32, relu: i32): void {
  v128.store(o, epilogue(c0, bias, mask, mo, j, relu));
  v128.store(o, epilogue(c1, bias, mask, mo + 16, j + 4, relu), 16);
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

/**
 * out = a^T b (+ out when accumulating), a [r, m], b [r, n], out [m, n] (the weight gradient
 * x^T dz of a dense layer, or im2col(x)^T dy of a convolution):
 *
 *   out[i, j] = sum over t of a[t, i] * b[t, j]
 *
 * Blocks of 4 columns of a by 8 columns of b, accumulated down all r rows.
 */
export function gemmTN(
  a: usize, lda: i32, b: usize, ldb: i32, out: usize, ldc: i32,
  r: i32, m: i32, n: i32, accumulate: i32,
): void {
  const sa = <usize>lda << 2;
  const sb = <usize>ldb << 2;
  const sc = <usize>ldc << 2;
  const rows = <usize>max(r, 0);
  if (n > 8 && n <= 12 && r > 0 && accumulate == 0) {
    narrowTN(a, sa, b, sb, out, sc, r, m, n);
    return;
  }
  const n8 = n & ~7;
  // Rows of out (columns of a) outermost: a's strip of 4 columns stays in L1 while b, the
  // narrower operand in every use here (dy, dz), is streamed once per strip.
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    for (let j = 0; j < n8; j += 8) {
      const o = out + <usize>i * sc + (<usize>j << 2);
      let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
      let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
      if (accumulate != 0) {
        c00 = v128.load(o); c01 = v128.load(o, 16);
        c10 = v128.load(o + sc); c11 = v128.load(o + sc, 16);
        c20 = v128.load(o + 2 * sc); c21 = v128.load(o + 2 * sc, 16);
        c30 = v128.load(o + 3 * sc); c31 = v128.load(o + 3 * sc, 16);
      }
      let pa = a + (<usize>i << 2);
      let pb = b + (<usize>j << 2);
      for (let t: usize = 0; t < rows; t++, pa += sa, pb += sb) {
        const b0 = v128.load(pb);
        const b1 = v128.load(pb, 16);
        const x0 = v128.load32_splat(pa);
        c00 = madd(x0, b0, c00);
        c01 = madd(x0, b1, c01);
        const x1 = v128.load32_splat(pa, 4);
        c10 = madd(x1, b0, c10);
        c11 = madd(x1, b1, c11);
        const x2 = v128.load32_splat(pa, 8);
        c20 = madd(x2, b0, c20);
        c21 = madd(x2, b1, c21);
        const x3 = v128.load32_splat(pa, 12);
        c30 = madd(x3, b0, c30);
        c31 = madd(x3, b1, c31);
      }
      v128.store(o, c00);
      v128.store(o, c01, 16);
      v128.store(o + sc, c10);
      v128.store(o + sc, c11, 16);
      v128.store(o + 2 * sc, c20);
      v128.store(o + 2 * sc, c21, 16);
      v128.store(o + 3 * sc, c30);
      v128.store(o + 3 * sc, c31, 16);
    }
  }
  for (; i < m; i++) {
    for (let j = 0; j < n8; j += 8) {
      const o = out + <usize>i * sc + (<usize>j << 2);
      let c0 = accumulate != 0 ? v128.load(o) : f32x4.splat(0);
      let c1 = accumulate != 0 ? v128.load(o, 16) : f32x4.splat(0);
      let pa = a + (<usize>i << 2);
      let pb = b + (<usize>j << 2);
      for (let t: usize = 0; t < rows; t++, pa += sa, pb += sb) {
        const x0 = v128.load32_splat(pa);
        c0 = madd(x0, v128.load(pb), c0);
        c1 = madd(x0, v128.load(pb, 16), c1);
      }
      v128.store(o, c0);
      v128.store(o, c1, 16);
    }
  }
  let j = n8;
  for (; j + 4 <= n; j += 4) {
    let i = 0;
    for (; i + 4 <= m; i += 4) {
      const o = out + <usize>i * sc + (<usize>j << 2);
      let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
      if (accumulate != 0) {
        c0 = v128.load(o); c1 = v128.load(o + sc); c2 = v128.load(o + 2 * sc); c3 = v128.load(o + 3 * sc);
      }
      let pa = a + (<usize>i << 2);
      let pb = b + (<usize>j << 2);
      for (let t: usize = 0; t < rows; t++, pa += sa, pb += sb) {
        const b0 = v128.load(pb);
        c0 = madd(v128.load32_splat(pa), b0, c0);
        c1 = madd(v128.load32_splat(pa, 4), b0, c1);
        c2 = madd(v128.load32_splat(pa, 8), b0, c2);
        c3 = madd(v128.load32_splat(pa, 12), b0, c3);
      }
      v128.store(o, c0);
      v128.store(o + sc, c1);
      v128.store(o + 2 * sc, c2);
      v128.store(o + 3 * sc, c3);
    }
    for (; i < m; i++) {
      const o = out + <usize>i * sc + (<usize>j << 2);
      let c0 = accumulate != 0 ? v128.load(o) : f32x4.splat(0);
      let pa = a + (<usize>i << 2);
      let pb = b + (<usize>j << 2);
      for (let t: usize = 0; t < rows; t++, pa += sa, pb += sb)
        c0 = madd(v128.load32_splat(pa), v128.load(pb), c0);
      v128.store(o, c0);
    }
  }
  if (j < n) {
    // The last n - j < 4 columns four wide, lanes past n unused (see gemmNN): every row of b
    // but the last read as a vector.
    const c = n - j;
    const lastRow = rows - 1;
    let i = 0;
    for (; i + 4 <= m; i += 4) {
      const o = out + <usize>i * sc + (<usize>j << 2);
      let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
      if (accumulate != 0) {
        c0 = loadTail(o, c); c1 = loadTail(o + sc, c); c2 = loadTail(o + 2 * sc, c); c3 = loadTail(o + 3 * sc, c);
      }
      let pa = a + (<usize>i << 2);
      let pb = b + (<usize>j << 2);
      for (let t: usize = 0; t < rows; t++, pa += sa, pb += sb) {
        const b0 = t < lastRow ? v128.load(pb) : loadTail(pb, c);
        c0 = madd(v128.load32_splat(pa), b0, c0);
        c1 = madd(v128.load32_splat(pa, 4), b0, c1);
        c2 = madd(v128.load32_splat(pa, 8), b0, c2);
        c3 = madd(v128.load32_splat(pa, 12), b0, c3);
      }
      storeTail(o, c0, c);
      storeTail(o + sc, c1, c);
      storeTail(o + 2 * sc, c2, c);
      storeTail(o + 3 * sc, c3, c);
    }
    for (; i < m; i++) {
      const o = out + <usize>i * sc + (<usize>j << 2);
      let c0 = accumulate != 0 ? loadTail(o, c) : f32x4.splat(0);
      let pa = a + (<usize>i << 2);
      let pb = b + (<usize>j << 2);
      for (let t: usize = 0; t < rows; t++, pa += sa, pb += sb)
        c0 = madd(v128.load32_splat(pa), t < lastRow ? v128.load(pb) : loadTail(pb, c), c0);
      storeTail(o, c0, c);
    }
  }
}

/**
 * gemmTN for 9 to 12 columns of b (the weight gradient of a 10-class head): blocks of 2
 * columns of a by all 12 of b (three vectors, the last partly used), byte strides.
 */
function narrowTN(a: usize, sa: usize, b: usize, sb: usize, out: usize, sc: usize, r: i32, m: i32, n: i32): void {
  const c = n - 8;
  // Every row of b but the last is read 12 wide (past n: the next row's first entries).
  const lastRow = b + <usize>(r - 1) * sb;
  const l0 = v128.load(lastRow);
  const l1 = v128.load(lastRow, 16);
  const l2 = loadUpTo4(lastRow + 32, c);
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 2 <= m; i += 2) {
    let c00 = zero, c01 = zero, c02 = zero, c10 = zero, c11 = zero, c12 = zero;
    let pa = a + (<usize>i << 2);
    let pb = b;
    for (; pb < lastRow; pa += sa, pb += sb) {
      const b0 = v128.load(pb);
      const b1 = v128.load(pb, 16);
      const b2 = v128.load(pb, 32);
      const x0 = v128.load32_splat(pa);
      c00 = madd(x0, b0, c00); c01 = madd(x0, b1, c01); c02 = madd(x0, b2, c02);
      const x1 = v128.load32_splat(pa, 4);
      c10 = madd(x1, b0, c10); c11 = madd(x1, b1, c11); c12 = madd(x1, b2, c12);
    }
    const x0 = v128.load32_splat(pa);
    c00 = madd(x0, l0, c00); c01 = madd(x0, l1, c01); c02 = madd(x0, l2, c02);
    const x1 = v128.load32_splat(pa, 4);
    c10 = madd(x1, l0, c10); c11 = madd(x1, l1, c11); c12 = madd(x1, l2, c12);
    const o = out + <usize>i * sc;
    v128.store(o, c00); v128.store(o, c01, 16); storeUpTo4(o + 32, c02, c);
    v128.store(o + sc, c10); v128.store(o + sc, c11, 16); storeUpTo4(o + sc + 32, c12, c);
  }
  for (; i < m; i++) {
    let c0 = zero, c1 = zero, c2 = zero;
    let pa = a + (<usize>i << 2);
    let pb = b;
    for (; pb < lastRow; pa += sa, pb += sb) {
      const x0 = v128.load32_splat(pa);
      c0 = madd(x0, v128.load(pb), c0);
      c1 = madd(x0, v128.load(pb, 16), c1);
      c2 = madd(x0, v128.load(pb, 32), c2);
    }
    const x0 = v128.load32_splat(pa);
    c0 = madd(x0, l0, c0);
    c1 = madd(x0, l1, c1);
    c2 = madd(x0, l2, c2);
    const o = out + <usize>i * sc;
    v128.store(o, c0); v128.store(o, c1, 16); storeUpTo4(o + 32, c2, c);
  }
}

/** out [n, m] = a^T for a [m, n]. */
export function transpose(a: usize, out: usize, m: i32, n: i32): void {
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++)
      store<f32>(out + ((<usize>j * <usize>m + <usize>i) << 2), load<f32>(a + ((<usize>i * <usize>n + <usize>j) << 2)));
}
