// AssemblyScript, compiled into ../simd-binary.ts by build.mjs (see conv2d-filter-grad.as).
//
// Batch normalisation in training mode over x [rows, c] (every axis but the channels, NHWC):
// forward in three passes (mean, variance, normalise), backward in two (two sums per channel,
// then dx). tfjs composes the same from moments, batchNorm and their gradients: about twenty
// kernels and as many passes over the activations per layer.

/** Channels per block: 16 (four vectors) summed down the rows in registers. */
// @ts-ignore: decorator
@inline
function columnBlock(c: i32): i32 {
  return c >= 16 ? 16 : c >= 4 ? 4 : 1;
}

/**
 * Per-channel mean and biased variance (the mean of squared deviations from the mean, the
 * stable two-pass form) of x [rows, c] into mean [c] and variance [c].
 */
export function batchNormStats(x: usize, mean: usize, variance: usize, rows: i32, c: i32): void {
  const stride = <usize>c << 2;
  const inverse = <f32>(1.0 / <f64>rows);
  let j = 0;
  while (j < c) {
    const width = min(columnBlock(c - j), c - j);
    const at = <usize>j << 2;
    if (width == 16) {
      let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
      let p = x + at;
      for (let r = 0; r < rows; r++, p += stride) {
        a0 = f32x4.add(a0, v128.load(p));
        a1 = f32x4.add(a1, v128.load(p, 16));
        a2 = f32x4.add(a2, v128.load(p, 32));
        a3 = f32x4.add(a3, v128.load(p, 48));
      }
      const s = f32x4.splat(inverse);
      const m0 = f32x4.mul(a0, s), m1 = f32x4.mul(a1, s), m2 = f32x4.mul(a2, s), m3 = f32x4.mul(a3, s);
      v128.store(mean + at, m0); v128.store(mean + at, m1, 16);
      v128.store(mean + at, m2, 32); v128.store(mean + at, m3, 48);
      let v0 = f32x4.splat(0), v1 = f32x4.splat(0), v2 = f32x4.splat(0), v3 = f32x4.splat(0);
      p = x + at;
      for (let r = 0; r < rows; r++, p += stride) {
        const d0 = f32x4.sub(v128.load(p), m0);
        const d1 = f32x4.sub(v128.load(p, 16), m1);
        const d2 = f32x4.sub(v128.load(p, 32), m2);
        const d3 = f32x4.sub(v128.load(p, 48), m3);
        v0 = f32x4.add(v0, f32x4.mul(d0, d0));
        v1 = f32x4.add(v1, f32x4.mul(d1, d1));
        v2 = f32x4.add(v2, f32x4.mul(d2, d2));
        v3 = f32x4.add(v3, f32x4.mul(d3, d3));
      }
      v128.store(variance + at, f32x4.mul(v0, s)); v128.store(variance + at, f32x4.mul(v1, s), 16);
      v128.store(variance + at, f32x4.mul(v2, s), 32); v128.store(variance + at, f32x4.mul(v3, s), 48);
    } else if (width == 4) {
      let a0 = f32x4.splat(0);
      let p = x + at;
      for (let r = 0; r < rows; r++, p += stride) a0 = f32x4.add(a0, v128.load(p));
      const s = f32x4.splat(inverse);
      const m0 = f32x4.mul(a0, s);
      v128.store(mean + at, m0);
      let v0 = f32x4.splat(0);
      p = x + at;
      for (let r = 0; r < rows; r++, p += stride) {
        const d0 = f32x4.sub(v128.load(p), m0);
        v0 = f32x4.add(v0, f32x4.mul(d0, d0));
      }
      v128.store(variance + at, f32x4.mul(v0, s));
    } else {
      let a: f32 = 0;
      let p = x + at;
      for (let r = 0; r < rows; r++, p += stride) a += load<f32>(p);
      const m = a * inverse;
      store<f32>(mean + at, m);
      let v: f32 = 0;
      p = x + at;
      for (let r = 0; r < rows; r++, p += stride) {
        const d = load<f32>(p) - m;
        v += d * d;
      }
      store<f32>(variance + at, v * inverse);
    }
    j += width;
  }
}

/**
 * y = x * scale[ch] + shift[ch] over x [rows, c] (relu != 0: then max(., 0)), where the caller
 * computed scale = gamma / sqrt(variance + epsilon) and shift = beta - mean * scale.
 */
export function batchNormApply(x: usize, scale: usize, shift: usize, y: usize, rows: i32, c: i32, relu: i32): void {
  const stride = <usize>c << 2;
  const c4 = <usize>(c & ~3) << 2;
  const zero = f32x4.splat(0);
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * stride;
    const yr = y + <usize>r * stride;
    let j: usize = 0;
    for (; j < c4; j += 16) {
      let v = f32x4.add(f32x4.mul(v128.load(xr + j), v128.load(scale + j)), v128.load(shift + j));
      if (relu != 0) v = f32x4.max(v, zero);
      v128.store(yr + j, v);
    }
    for (; j < stride; j += 4) {
      let v = load<f32>(xr + j) * load<f32>(scale + j) + load<f32>(shift + j);
      if (relu != 0 && !(v > 0)) v = 0;
      store<f32>(yr + j, v);
    }
  }
}

/**
 * Per-channel sums of the backward pass: s1[ch] = sum dy, s2[ch] = sum dy * (x - mean), over
 * rows. With `y` (not 0, the forward output of a batch norm fused with relu) dy counts only
 * where y > 0; `dyOut` then receives that masked dy for batchNormGradApply.
 */
export function batchNormGradSums(
  dy: usize, x: usize, mean: usize, y: usize, dyOut: usize, s1: usize, s2: usize, rows: i32, c: i32,
): void {
  const stride = <usize>c << 2;
  const zero = f32x4.splat(0);
  let j = 0;
  while (j < c) {
    const width = min(columnBlock(c - j), c - j);
    const at = <usize>j << 2;
    if (width >= 4) {
      // Four channels at a time (sixteen would need twelve accumulators and spill).
      for (let q = 0; q < width; q += 4) {
        const o = at + (<usize>q << 2);
        const m = v128.load(mean + o);
        let a = f32x4.splat(0), b = f32x4.splat(0);
        let pd = dy + o, px = x + o, py = y + o, po = dyOut + o;
        for (let r = 0; r < rows; r++, pd += stride, px += stride, py += stride, po += stride) {
          let g = v128.load(pd);
          if (y != 0) {
            g = v128.and(g, f32x4.gt(v128.load(py), zero));
            v128.store(po, g);
          }
          a = f32x4.add(a, g);
          b = f32x4.add(b, f32x4.mul(g, f32x4.sub(v128.load(px), m)));
        }
        v128.store(s1 + o, a);
        v128.store(s2 + o, b);
      }
    } else {
      const m = load<f32>(mean + at);
      let a: f32 = 0, b: f32 = 0;
      let pd = dy + at, px = x + at, py = y + at, po = dyOut + at;
      for (let r = 0; r < rows; r++, pd += stride, px += stride, py += stride, po += stride) {
        let g = load<f32>(pd);
        if (y != 0) {
          if (!(load<f32>(py) > 0)) g = 0;
          store<f32>(po, g);
        }
        a += g;
        b += g * (load<f32>(px) - m);
      }
      store<f32>(s1 + at, a);
      store<f32>(s2 + at, b);
    }
    j += width;
  }
}

/** dx = a[ch] * dy + b[ch] * x + d[ch] over [rows, c] (coefficients from ../batch-norm.ts). */
export function batchNormGradApply(dy: usize, x: usize, a: usize, b: usize, d: usize, dx: usize, rows: i32, c: i32): void {
  const stride = <usize>c << 2;
  const c4 = <usize>(c & ~3) << 2;
  for (let r = 0; r < rows; r++) {
    const off = <usize>r * stride;
    let j: usize = 0;
    for (; j < c4; j += 16) {
      const v = f32x4.add(
        f32x4.add(f32x4.mul(v128.load(a + j), v128.load(dy + off + j)), f32x4.mul(v128.load(b + j), v128.load(x + off + j))),
        v128.load(d + j),
      );
      v128.store(dx + off + j, v);
    }
    for (; j < stride; j += 4)
      store<f32>(dx + off + j, load<f32>(a + j) * load<f32>(dy + off + j) + load<f32>(b + j) * load<f32>(x + off + j) + load<f32>(d + j));
  }
}
