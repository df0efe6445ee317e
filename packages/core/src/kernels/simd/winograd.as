// AssemblyScript, compiled into ../simd-binary.ts by build.mjs (see conv2d-filter-grad.as).
//
// 3x3 convolutions with stride 1 (NHWC, filter [3, 3, CI, CO]) by Winograd's minimal filtering
// F(2x2, 3x3) (Lavin and Gray, "Fast Algorithms for Convolutional Neural Networks", 2016):
// each 2x2 tile of outputs comes from a 4x4 tile of inputs with 16 multiplications per channel
// pair instead of 36. With U = G g G^T (the filter, per channel pair), V = B^T d B (the input
// tile, per channel) and M = sum over channels of U . V (elementwise), the tile is Y = A^T M A:
//
//   G = [1 0 0; .5 .5 .5; .5 -.5 .5; 0 0 1]   B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1]
//   A^T = [1 1 1 0; 0 1 -1 -1]
//
// The sum over channels is 16 matrix products (gemm.as), one per position xi of the 4x4 tile,
// over a chunk of tiles: M[xi] [tiles, CO] = V[xi] [tiles, CI] U[xi] [CI, CO]. The filter
// gradient runs the same algebra backwards: dU[xi] = sum over tiles of V[xi]^T Z[xi] with
// Z = A dY A^T, then dW = G^T dU G. The input gradient is a forward pass over dy with the
// filter flipped and its channels swapped (winogradFilter's flip and transposed layout).
//
// Scratch, sized by the caller (../winograd.ts): V [16, chunk, CI], M or Z [16, chunk, CO],
// U or dU [16, CI, CO]. Channel counts are multiples of 4 (one f32x4 of channels at a time).
// Tiles run over (image, tile row, tile column); a tile hanging over the edge of the input
// reads zeros there, and one hanging over the output writes (or, for dY, reads) only inside.

import { gemmNN, gemmTN } from './gemm';

let N = 0, H = 0, W = 0, CI = 0, OH = 0, OW = 0, CO = 0, PT = 0, PL = 0, TH = 0, TW = 0;

// @ts-ignore: decorator
@inline
function setGeometry(n: i32, h: i32, w: i32, ci: i32, oh: i32, ow: i32, co: i32, pt: i32, pl: i32): void {
  N = n; H = h; W = w; CI = ci; OH = oh; OW = ow; CO = co; PT = pt; PL = pl;
  TH = (oh + 1) >> 1;
  TW = (ow + 1) >> 1;
}

// @ts-ignore: decorator
@inline
function loadIf(p: usize, ok: bool): v128 {
  return ok ? v128.load(p) : f32x4.splat(0);
}

/**
 * V[xi, t - t0, :] = (B^T d B)[xi] for the tiles t0 <= t < t0 + count, where d is the 4x4
 * input window of tile t (zeros outside the input); V's matrices are `chunk` rows apart.
 */
function inputTiles(x: usize, v: usize, t0: i32, count: i32, chunk: i32): void {
  const tilesPerImage = TH * TW;
  const rowBytes = <usize>CI << 2;
  const plane = <usize>chunk * rowBytes; // bytes between V[xi] and V[xi + 1]
  for (let tl = 0; tl < count; tl++) {
    const t = t0 + tl;
    const b = t / tilesPerImage;
    const r = t - b * tilesPerImage;
    const ty = r / TW;
    const tx = r - ty * TW;
    const iy = 2 * ty - PT;
    const ix = 2 * tx - PL;
    const r0 = iy >= 0 && iy < H, r1 = iy + 1 >= 0 && iy + 1 < H;
    const r2 = iy + 2 >= 0 && iy + 2 < H, r3 = iy + 3 >= 0 && iy + 3 < H;
    const c0 = ix >= 0 && ix < W, c1 = ix + 1 >= 0 && ix + 1 < W;
    const c2 = ix + 2 >= 0 && ix + 2 < W, c3 = ix + 3 >= 0 && ix + 3 < W;
    // Byte offset of input position (iy, ix) of image b; may point outside x where a row or
    // column is out of range, and is then never loaded.
    const base = x + ((<usize>(b * H + iy) * <usize>W + <usize>ix) * rowBytes);
    const sy = <usize>W * rowBytes;
    const out = v + <usize>tl * rowBytes;
    for (let c: usize = 0; c < rowBytes; c += 16) {
      const p0 = base + c, p1 = p0 + sy, p2 = p1 + sy, p3 = p2 + sy;
      // B^T along the rows (per column s), then B along the columns.
      let d0 = loadIf(p0, r0 && c0), d1 = loadIf(p1, r1 && c0), d2 = loadIf(p2, r2 && c0), d3 = loadIf(p3, r3 && c0);
      const u00 = f32x4.sub(d0, d2), u10 = f32x4.add(d1, d2), u20 = f32x4.sub(d2, d1), u30 = f32x4.sub(d1, d3);
      d0 = loadIf(p0 + rowBytes, r0 && c1); d1 = loadIf(p1 + rowBytes, r1 && c1);
      d2 = loadIf(p2 + rowBytes, r2 && c1); d3 = loadIf(p3 + rowBytes, r3 && c1);
      const u01 = f32x4.sub(d0, d2), u11 = f32x4.add(d1, d2), u21 = f32x4.sub(d2, d1), u31 = f32x4.sub(d1, d3);
      d0 = loadIf(p0 + 2 * rowBytes, r0 && c2); d1 = loadIf(p1 + 2 * rowBytes, r1 && c2);
      d2 = loadIf(p2 + 2 * rowBytes, r2 && c2); d3 = loadIf(p3 + 2 * rowBytes, r3 && c2);
      const u02 = f32x4.sub(d0, d2), u12 = f32x4.add(d1, d2), u22 = f32x4.sub(d2, d1), u32 = f32x4.sub(d1, d3);
      d0 = loadIf(p0 + 3 * rowBytes, r0 && c3); d1 = loadIf(p1 + 3 * rowBytes, r1 && c3);
      d2 = loadIf(p2 + 3 * rowBytes, r2 && c3); d3 = loadIf(p3 + 3 * rowBytes, r3 && c3);
      const u03 = f32x4.sub(d0, d2), u13 = f32x4.add(d1, d2), u23 = f32x4.sub(d2, d1), u33 = f32x4.sub(d1, d3);
      const o = out + c;
      v128.store(o, f32x4.sub(u00, u02));
      v128.store(o + plane, f32x4.add(u01, u02));
      v128.store(o + 2 * plane, f32x4.sub(u02, u01));
      v128.store(o + 3 * plane, f32x4.sub(u01, u03));
      v128.store(o + 4 * plane, f32x4.sub(u10, u12));
      v128.store(o + 5 * plane, f32x4.add(u11, u12));
      v128.store(o + 6 * plane, f32x4.sub(u12, u11));
      v128.store(o + 7 * plane, f32x4.sub(u11, u13));
      v128.store(o + 8 * plane, f32x4.sub(u20, u22));
      v128.store(o + 9 * plane, f32x4.add(u21, u22));
      v128.store(o + 10 * plane, f32x4.sub(u22, u21));
      v128.store(o + 11 * plane, f32x4.sub(u21, u23));
      v128.store(o + 12 * plane, f32x4.sub(u30, u32));
      v128.store(o + 13 * plane, f32x4.add(u31, u32));
      v128.store(o + 14 * plane, f32x4.sub(u32, u31));
      v128.store(o + 15 * plane, f32x4.sub(u31, u33));
    }
  }
}

/** out (2x2 tile) = relu?(A^T M A + bias) for the chunk's tiles, written where inside out. */
function outputTiles(m: usize, out: usize, bias: usize, relu: i32, t0: i32, count: i32, chunk: i32): void {
  const tilesPerImage = TH * TW;
  const rowBytes = <usize>CO << 2;
  const plane = <usize>chunk * rowBytes;
  const zero = f32x4.splat(0);
  for (let tl = 0; tl < count; tl++) {
    const t = t0 + tl;
    const b = t / tilesPerImage;
    const r = t - b * tilesPerImage;
    const ty = r / TW;
    const tx = r - ty * TW;
    const oy = 2 * ty, ox = 2 * tx;
    const right = ox + 1 < OW, below = oy + 1 < OH;
    const o00 = out + (<usize>(b * OH + oy) * <usize>OW + <usize>ox) * rowBytes;
    const o10 = o00 + <usize>OW * rowBytes;
    const src = m + <usize>tl * rowBytes;
    for (let c: usize = 0; c < rowBytes; c += 16) {
      const p = src + c;
      // A^T along the rows: s0j = m0j + m1j + m2j, s1j = m1j - m2j - m3j.
      let a = v128.load(p + 4 * plane), bb = v128.load(p + 8 * plane);
      let q = v128.load(p), z = v128.load(p + 12 * plane);
      const s00 = f32x4.add(f32x4.add(q, a), bb), s10 = f32x4.sub(f32x4.sub(a, bb), z);
      a = v128.load(p + 5 * plane); bb = v128.load(p + 9 * plane);
      q = v128.load(p + plane); z = v128.load(p + 13 * plane);
      const s01 = f32x4.add(f32x4.add(q, a), bb), s11 = f32x4.sub(f32x4.sub(a, bb), z);
      a = v128.load(p + 6 * plane); bb = v128.load(p + 10 * plane);
      q = v128.load(p + 2 * plane); z = v128.load(p + 14 * plane);
      const s02 = f32x4.add(f32x4.add(q, a), bb), s12 = f32x4.sub(f32x4.sub(a, bb), z);
      a = v128.load(p + 7 * plane); bb = v128.load(p + 11 * plane);
      q = v128.load(p + 3 * plane); z = v128.load(p + 15 * plane);
      const s03 = f32x4.add(f32x4.add(q, a), bb), s13 = f32x4.sub(f32x4.sub(a, bb), z);
      // A along the columns.
      let y00 = f32x4.add(f32x4.add(s00, s01), s02), y01 = f32x4.sub(f32x4.sub(s01, s02), s03);
      let y10 = f32x4.add(f32x4.add(s10, s11), s12), y11 = f32x4.sub(f32x4.sub(s11, s12), s13);
      if (bias != 0) {
        const bv = v128.load(bias + c);
        y00 = f32x4.add(y00, bv); y01 = f32x4.add(y01, bv);
        y10 = f32x4.add(y10, bv); y11 = f32x4.add(y11, bv);
      }
      if (relu != 0) {
        y00 = f32x4.max(y00, zero); y01 = f32x4.max(y01, zero);
        y10 = f32x4.max(y10, zero); y11 = f32x4.max(y11, zero);
      }
      v128.store(o00 + c, y00);
      if (right) v128.store(o00 + rowBytes + c, y01);
      if (below) {
        v128.store(o10 + c, y10);
        if (right) v128.store(o10 + rowBytes + c, y11);
      }
    }
  }
}

/** Z[xi, t - t0, :] = (A dY A^T)[xi] for the chunk's tiles (dY zero outside the output). */
function gradTiles(dy: usize, z: usize, t0: i32, count: i32, chunk: i32): void {
  const tilesPerImage = TH * TW;
  const rowBytes = <usize>CO << 2;
  const plane = <usize>chunk * rowBytes;
  const zero = f32x4.splat(0);
  for (let tl = 0; tl < count; tl++) {
    const t = t0 + tl;
    const b = t / tilesPerImage;
    const r = t - b * tilesPerImage;
    const ty = r / TW;
    const tx = r - ty * TW;
    const oy = 2 * ty, ox = 2 * tx;
    const right = ox + 1 < OW, below = oy + 1 < OH;
    const g00p = dy + (<usize>(b * OH + oy) * <usize>OW + <usize>ox) * rowBytes;
    const g10p = g00p + <usize>OW * rowBytes;
    const out = z + <usize>tl * rowBytes;
    for (let c: usize = 0; c < rowBytes; c += 16) {
      const g00 = v128.load(g00p + c);
      const g01 = loadIf(g00p + rowBytes + c, right);
      const g10 = loadIf(g10p + c, below);
      const g11 = loadIf(g10p + rowBytes + c, right && below);
      // A on the left: rows g0, g0 + g1, g0 - g1, -g1 (per column).
      const r00 = g00, r01 = g01;
      const r10 = f32x4.add(g00, g10), r11 = f32x4.add(g01, g11);
      const r20 = f32x4.sub(g00, g10), r21 = f32x4.sub(g01, g11);
      const r30 = f32x4.sub(zero, g10), r31 = f32x4.sub(zero, g11);
      // A^T on the right: columns r0, r0 + r1, r0 - r1, -r1 (per row).
      const o = out + c;
      v128.store(o, r00);
      v128.store(o + plane, f32x4.add(r00, r01));
      v128.store(o + 2 * plane, f32x4.sub(r00, r01));
      v128.store(o + 3 * plane, f32x4.sub(zero, r01));
      v128.store(o + 4 * plane, r10);
      v128.store(o + 5 * plane, f32x4.add(r10, r11));
      v128.store(o + 6 * plane, f32x4.sub(r10, r11));
      v128.store(o + 7 * plane, f32x4.sub(zero, r11));
      v128.store(o + 8 * plane, r20);
      v128.store(o + 9 * plane, f32x4.add(r20, r21));
      v128.store(o + 10 * plane, f32x4.sub(r20, r21));
      v128.store(o + 11 * plane, f32x4.sub(zero, r21));
      v128.store(o + 12 * plane, r30);
      v128.store(o + 13 * plane, f32x4.add(r30, r31));
      v128.store(o + 14 * plane, f32x4.sub(r30, r31));
      v128.store(o + 15 * plane, f32x4.sub(zero, r31));
    }
  }
}

/** g[ky][kx] of the channel pair at src, turned by 180 degrees when flipping. */
// @ts-ignore: decorator
@inline
function tapOf(src: usize, tap: usize, flip: i32, ky: i32, kx: i32): f32 {
  return load<f32>(src + <usize>(flip != 0 ? (2 - ky) * 3 + (2 - kx) : ky * 3 + kx) * tap);
}

/**
 * U[xi] = (G g G^T)[xi] for every channel pair of w [3, 3, ci, co]. With `flip`, g is the
 * filter turned by 180 degrees (g[2 - ky, 2 - kx]); with `transposed`, U is laid out
 * [16, co, ci] instead of [16, ci, co]. Both at once give the filter of the input gradient.
 */
export function winogradFilter(w: usize, u: usize, ci: i32, co: i32, flip: i32, transposed: i32): void {
  const pairs = <usize>ci * <usize>co;
  const tap = pairs << 2; // bytes between filter taps
  const plane = pairs << 2; // bytes between U[xi] and U[xi + 1]
  for (let c = 0; c < ci; c++) {
    for (let o = 0; o < co; o++) {
      const src = w + ((<usize>c * <usize>co + <usize>o) << 2);
      const dst = u + ((transposed != 0 ? <usize>o * <usize>ci + <usize>c : <usize>c * <usize>co + <usize>o) << 2);
      // G along ky (per kx), then G^T along kx.
      for (let kx = 0; kx < 3; kx++) {
        const a = tapOf(src, tap, flip, 0, kx), b = tapOf(src, tap, flip, 1, kx), d = tapOf(src, tap, flip, 2, kx);
        store<f32>(scratch + (<usize>(0 * 3 + kx) << 2), a);
        store<f32>(scratch + (<usize>(1 * 3 + kx) << 2), 0.5 * (a + b + d));
        store<f32>(scratch + (<usize>(2 * 3 + kx) << 2), 0.5 * (a - b + d));
        store<f32>(scratch + (<usize>(3 * 3 + kx) << 2), d);
      }
      for (let i = 0; i < 4; i++) {
        const a = load<f32>(scratch + (<usize>(i * 3) << 2));
        const b = load<f32>(scratch + (<usize>(i * 3 + 1) << 2));
        const d = load<f32>(scratch + (<usize>(i * 3 + 2) << 2));
        const row = dst + <usize>(i * 4) * plane;
        store<f32>(row, a);
        store<f32>(row + plane, 0.5 * (a + b + d));
        store<f32>(row + 2 * plane, 0.5 * (a - b + d));
        store<f32>(row + 3 * plane, d);
      }
    }
  }
}

/** 12 floats of scratch for winogradFilter's intermediate (G g), in the module's static data. */
const scratch: usize = memory.data(48, 16);

/** The chunk's tile count: `chunk`, or what is left of `tiles` from t0. */
// @ts-ignore: decorator
@inline
function chunkCount(t0: i32, tiles: i32, chunk: i32): i32 {
  return min(chunk, tiles - t0);
}

/**
 * out [n, oh, ow, co] = relu?(conv(x, W) + bias) for x [n, h, w, ci] and a 3x3 filter
 * already transformed into u (winogradFilter), stride 1, padding pt / pl at the top / left.
 * v [16, chunk, ci] and m [16, chunk, co] are scratch; bias 0 means none.
 */
export function winogradForward(
  x: usize, u: usize, bias: usize, out: usize, v: usize, m: usize, chunk: i32, relu: i32,
  n: i32, h: i32, w: i32, ci: i32, oh: i32, ow: i32, co: i32, pt: i32, pl: i32,
): void {
  setGeometry(n, h, w, ci, oh, ow, co, pt, pl);
  const tiles = N * TH * TW;
  const vPlane = <usize>chunk * <usize>ci << 2;
  const mPlane = <usize>chunk * <usize>co << 2;
  const uPlane = <usize>ci * <usize>co << 2;
  for (let t0 = 0; t0 < tiles; t0 += chunk) {
    const count = chunkCount(t0, tiles, chunk);
    inputTiles(x, v, t0, count, chunk);
    for (let xi: usize = 0; xi < 16; xi++)
      gemmNN(v + xi * vPlane, ci, u + xi * uPlane, co, m + xi * mPlane, co, count, ci, co, 0, 0, 0, 0);
    outputTiles(m, out, bias, relu, t0, count, chunk);
  }
}

/**
 * dW [3, 3, ci, co] of the stride-1 convolution of x [n, h, w, ci] (padding pt / pl) from its
 * output gradient dy [n, oh, ow, co]. du [16, ci, co], v [16, chunk, ci] and z [16, chunk, co]
 * are scratch.
 */
export function winogradFilterGrad(
  x: usize, dy: usize, dW: usize, du: usize, v: usize, z: usize, chunk: i32,
  n: i32, h: i32, w: i32, ci: i32, oh: i32, ow: i32, co: i32, pt: i32, pl: i32,
): void {
  setGeometry(n, h, w, ci, oh, ow, co, pt, pl);
  const tiles = N * TH * TW;
  const vPlane = <usize>chunk * <usize>ci << 2;
  const zPlane = <usize>chunk * <usize>co << 2;
  const uPlane = <usize>ci * <usize>co << 2;
  for (let t0 = 0; t0 < tiles; t0 += chunk) {
    const count = chunkCount(t0, tiles, chunk);
    inputTiles(x, v, t0, count, chunk);
    gradTiles(dy, z, t0, count, chunk);
    for (let xi: usize = 0; xi < 16; xi++)
      gemmTN(v + xi * vPlane, ci, z + xi * zPlane, co, du + xi * uPlane, co, count, ci, co, t0 > 0 ? 1 : 0);
  }
  // dW = G^T dU G, four channels (of co) at a time.
  const tap = uPlane; // bytes between taps of dW, as between planes of dU
  const rowBytes = <usize>co << 2;
  const half = f32x4.splat(0.5);
  for (let c: usize = 0; c < <usize>ci; c++) {
    for (let o: usize = 0; o < rowBytes; o += 16) {
      const p = du + c * rowBytes + o;
      // G^T along i (per j): p0j = d0j + (d1j + d2j) / 2, p1j = (d1j - d2j) / 2, p2j = (d1j + d2j) / 2 + d3j.
      let d0 = v128.load(p), d1 = v128.load(p + 4 * uPlane), d2 = v128.load(p + 8 * uPlane), d3 = v128.load(p + 12 * uPlane);
      let s = f32x4.mul(f32x4.add(d1, d2), half);
      const p00 = f32x4.add(d0, s), p10 = f32x4.mul(f32x4.sub(d1, d2), half), p20 = f32x4.add(s, d3);
      d0 = v128.load(p + uPlane); d1 = v128.load(p + 5 * uPlane); d2 = v128.load(p + 9 * uPlane); d3 = v128.load(p + 13 * uPlane);
      s = f32x4.mul(f32x4.add(d1, d2), half);
      const p01 = f32x4.add(d0, s), p11 = f32x4.mul(f32x4.sub(d1, d2), half), p21 = f32x4.add(s, d3);
      d0 = v128.load(p + 2 * uPlane); d1 = v128.load(p + 6 * uPlane); d2 = v128.load(p + 10 * uPlane); d3 = v128.load(p + 14 * uPlane);
      s = f32x4.mul(f32x4.add(d1, d2), half);
      const p02 = f32x4.add(d0, s), p12 = f32x4.mul(f32x4.sub(d1, d2), half), p22 = f32x4.add(s, d3);
      d0 = v128.load(p + 3 * uPlane); d1 = v128.load(p + 7 * uPlane); d2 = v128.load(p + 11 * uPlane); d3 = v128.load(p + 15 * uPlane);
      s = f32x4.mul(f32x4.add(d1, d2), half);
      const p03 = f32x4.add(d0, s), p13 = f32x4.mul(f32x4.sub(d1, d2), half), p23 = f32x4.add(s, d3);
      // G along j, per row ky.
      const q = dW + c * rowBytes + o;
      s = f32x4.mul(f32x4.add(p01, p02), half);
      v128.store(q, f32x4.add(p00, s));
      v128.store(q + tap, f32x4.mul(f32x4.sub(p01, p02), half));
      v128.store(q + 2 * tap, f32x4.add(s, p03));
      s = f32x4.mul(f32x4.add(p11, p12), half);
      v128.store(q + 3 * tap, f32x4.add(p10, s));
      v128.store(q + 4 * tap, f32x4.mul(f32x4.sub(p11, p12), half));
      v128.store(q + 5 * tap, f32x4.add(s, p13));
      s = f32x4.mul(f32x4.add(p21, p22), half);
      v128.store(q + 6 * tap, f32x4.add(p20, s));
      v128.store(q + 7 * tap, f32x4.mul(f32x4.sub(p21, p22), half));
      v128.store(q + 8 * tap, f32x4.add(s, p23));
    }
  }
}
