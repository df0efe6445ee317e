// AssemblyScript, compiled into ../simd-binary.ts by build.mjs (see conv2d-filter-grad.as).

/**
 * Gradient of 2-D max pooling, x [N, H, W, C], dy [N, OH, OW, C], dx [N, H, W, C]:
 *
 *   dx[n, h, w, c] = sum over windows (oh, ow) whose first maximum is x[n, h, w, c] of dy[n, oh, ow, c]
 *
 * "First" in row-major window order with a strict comparison (the cpu backend's choice, which
 * also never picks NaN). Four channels at a time: a compare-and-select pass finds each lane's
 * maximum and its window position, a second pass adds dy where the position matches. When the
 * windows tile x exactly (2x2 stride 2 on an even size, no padding) every element of dx is
 * written once, so the second pass stores instead of adding and dx needs no zeroing first.
 */
export function maxPoolGrad(
  x: usize, dy: usize, dx: usize, n: i32, h: i32, w: i32, c: i32, oh: i32, ow: i32,
  fh: i32, fw: i32, sh: i32, sw: i32, pt: i32, pl: i32,
): void {
  const tiles = fh === sh && fw === sw && pt === 0 && pl === 0 && oh * sh === h && ow * sw === w;
  if (tiles && fh === 2 && fw === 2 && (c & 3) === 0) {
    pool2x2Grad(x, dy, dx, n, c, oh, ow);
    return;
  }
  if (!tiles) memory.fill(dx, 0, <usize>n * h * w * c * 4);
  const vectors = c >> 2;
  let g = dy;
  for (let b = 0; b < n; b++) {
    const image = <usize>b * h * w * c;
    for (let r = 0; r < oh; r++) {
      const h0 = max(0, r * sh - pt), h1 = min(h, r * sh - pt + fh);
      for (let s = 0; s < ow; s++) {
        const w0 = max(0, s * sw - pl), w1 = min(w, s * sw - pl + fw);
        for (let v = 0; v < vectors; v++, g += 16) {
          windowVector(x, dx, image + (v << 2), c, w, h0, h1, w0, w1, v128.load(g), tiles);
        }
        for (let k = vectors << 2; k < c; k++, g += 4) {
          windowScalar(x, dx, image + k, c, w, h0, h1, w0, w1, load<f32>(g), tiles);
        }
      }
    }
  }
}

/** One window, four channels starting at element `base` of image-relative offsets. */
@inline function windowVector(
  x: usize, dx: usize, base: usize, c: i32, w: i32, h0: i32, h1: i32, w0: i32, w1: i32, g: v128,
  tiles: bool,
): void {
  let best = f32x4.splat(-Infinity);
  let at = i32x4.splat(-1);
  for (let i = h0; i < h1; i++) {
    for (let j = w0; j < w1; j++) {
      const p = i * w + j;
      const v = v128.load(x + ((base + <usize>p * c) << 2));
      const greater = f32x4.gt(v, best);
      best = v128.bitselect(v, best, greater);
      at = v128.bitselect(i32x4.splat(p), at, greater);
    }
  }
  for (let i = h0; i < h1; i++) {
    for (let j = w0; j < w1; j++) {
      const p = i * w + j;
      const q = dx + ((base + <usize>p * c) << 2);
      const mine = v128.and(g, i32x4.eq(at, i32x4.splat(p)));
      v128.store(q, tiles ? mine : f32x4.add(v128.load(q), mine));
    }
  }
}

/** One window, one channel. */
@inline function windowScalar(
  x: usize, dx: usize, base: usize, c: i32, w: i32, h0: i32, h1: i32, w0: i32, w1: i32, g: f32,
  tiles: bool,
): void {
  let best: f32 = -Infinity;
  let at: usize = -1;
  for (let i = h0; i < h1; i++) {
    for (let j = w0; j < w1; j++) {
      const q = (base + <usize>(i * w + j) * c) << 2;
      const v = load<f32>(x + q);
      if (tiles) store<f32>(dx + q, 0);
      if (v > best) {
        best = v;
        at = q;
      }
    }
  }
  if (at !== -1) store<f32>(dx + at, load<f32>(dx + at) + g);
}

/**
 * {@link maxPoolGrad} for 2x2 windows with stride 2 tiling x exactly, channels a multiple of
 * 4: the window's four positions unrolled, the same strict first-maximum rule (NaN and -Inf
 * never win). m2cnn's first pooling gradient: 0.84 -> 0.2 ms at batch 64 (one thread).
 */
function pool2x2Grad(x: usize, dy: usize, dx: usize, n: i32, c: i32, oh: i32, ow: i32): void {
  const rowBytes = <usize>c << 2; // one position
  const lineBytes = <usize>(ow * 2) * rowBytes; // one row of x
  const none = f32x4.splat(-Infinity);
  let g = dy;
  for (let r: i32 = 0; r < n * oh; r++) {
    // Row r of the output (over all images): rows 2r and 2r + 1 of x.
    const top = <usize>r * 2 * lineBytes;
    for (let s: usize = 0; s < <usize>ow; s++) {
      const p = top + s * 2 * rowBytes;
      for (let k: usize = 0; k < rowBytes; k += 16, g += 16) {
        const pa = p + k, pb = pa + rowBytes, pc = pa + lineBytes, pd = pc + rowBytes;
        const a = v128.load(x + pa), b = v128.load(x + pb), cc = v128.load(x + pc), d = v128.load(x + pd);
        const ga = f32x4.gt(a, none);
        let best = v128.bitselect(a, none, ga);
        const gb = f32x4.gt(b, best);
        best = v128.bitselect(b, best, gb);
        const gc = f32x4.gt(cc, best);
        best = v128.bitselect(cc, best, gc);
        const gd = f32x4.gt(d, best);
        const grad = v128.load(g);
        // The last position that beat every one before it is the first maximum.
        const wc = v128.andnot(gc, gd);
        const wb = v128.andnot(gb, v128.or(gc, gd));
        const wa = v128.andnot(ga, v128.or(gb, v128.or(gc, gd)));
        v128.store(dx + pa, v128.and(grad, wa));
        v128.store(dx + pb, v128.and(grad, wb));
        v128.store(dx + pc, v128.and(grad, wc));
        v128.store(dx + pd, v128.and(grad, gd));
      }
    }
  }
}
