// AssemblyScript, compiled into ../simd-binary.ts by build.mjs (see conv2d-filter-grad.as).

/**
 * Scaled column sums of `outer` row-major [rows, cols] matrices, a sum or mean over a block of
 * axes that are not the innermost (a bias gradient: dy [N, H, W, C] summed to [C]; a global
 * average pool: x [N, H, W, C] averaged to [N, C]):
 *
 *   out[o, c] = scale * sum over r of x[o, r, c]
 *
 * Sixteen, then four, then single columns at a time, each block summed down all rows in SIMD
 * accumulators, so x is read once without the transpose tfjs's Sum and Mean make first.
 */
export function sumRows(x: usize, out: usize, outer: i32, rows: i32, cols: i32, scale: f32): void {
  const stride = <usize>cols << 2;
  const s = f32x4.splat(scale);
  for (let o = 0; o < outer; o++) {
    let c = 0;
    for (; c + 16 <= cols; c += 16) {
      let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
      let p = x + (<usize>c << 2);
      for (let r = 0; r < rows; r++, p += stride) {
        a0 = f32x4.add(a0, v128.load(p));
        a1 = f32x4.add(a1, v128.load(p, 16));
        a2 = f32x4.add(a2, v128.load(p, 32));
        a3 = f32x4.add(a3, v128.load(p, 48));
      }
      const q = out + (<usize>c << 2);
      v128.store(q, f32x4.mul(a0, s)); v128.store(q, f32x4.mul(a1, s), 16);
      v128.store(q, f32x4.mul(a2, s), 32); v128.store(q, f32x4.mul(a3, s), 48);
    }
    for (; c + 4 <= cols; c += 4) {
      let a0 = f32x4.splat(0), a1 = f32x4.splat(0);
      let p = x + (<usize>c << 2);
      let r = 0;
      // Two accumulators over alternate rows hide the latency of the additions.
      for (; r + 2 <= rows; r += 2, p += 2 * stride) {
        a0 = f32x4.add(a0, v128.load(p));
        a1 = f32x4.add(a1, v128.load(p + stride));
      }
      if (r < rows) a0 = f32x4.add(a0, v128.load(p));
      v128.store(out + (<usize>c << 2), f32x4.mul(f32x4.add(a0, a1), s));
    }
    for (; c < cols; c++) {
      let a: f32 = 0;
      let p = x + (<usize>c << 2);
      for (let r = 0; r < rows; r++, p += stride) a += load<f32>(p);
      store<f32>(out + (<usize>c << 2), a * scale);
    }
    x += <usize>rows * stride;
    out += stride;
  }
}
