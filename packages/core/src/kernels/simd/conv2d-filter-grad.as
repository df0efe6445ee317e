// AssemblyScript, compiled into ../simd-binary.ts by build.mjs (named .as so that tsc, which
// does not know AssemblyScript's types, leaves it alone). Pointers are byte offsets into the
// tfjs wasm heap, which the module imports as its memory; all tensors are f32, row-major.

/** Images per pass: their x and dy slices (this many bytes) stay in cache across all taps. */
const CHUNK_BYTES = 192 * 1024;

// Geometry of the current call, chunk and tap (wasm globals: the module has no memory of its own).
let H = 0, W = 0, CI = 0, OH = 0, OW = 0, CO = 0, SH = 0, SW = 0;
let X: usize = 0, DY: usize = 0;
/** Images [B0, B1); the tap's offsets (kh - pt, kw - pl) and its valid output rectangle. */
let B0 = 0, B1 = 0, ROW = 0, COL = 0, OH0 = 0, OH1 = 0, OW0 = 0, OW1 = 0;

/**
 * Filter gradient of a 2-D convolution, x [N, H, W, Ci], dy [N, OH, OW, Co], dW [KH, KW, Ci, Co]:
 *
 *   dW[kh, kw, ci, co] = sum over n, oh, ow of x[n, oh*sh + kh - pt, ow*sw + kw - pl, ci] * dy[n, oh, ow, co]
 *
 * For one tap (kh, kw) the output positions whose input pixel lies inside x form a rectangle
 * [oh0, oh1) x [ow0, ow1). Over it, a tile of up to 4 x 8 (ci x co) weights is summed in eight
 * SIMD accumulators: per position two loads of dy, four broadcasts of x, eight multiply-adds.
 * The batch is walked in chunks of images small enough to stay in cache for every tap and tile.
 */
export function conv2dFilterGrad(
  x: usize, dy: usize, dw: usize, n: i32, h: i32, w: i32, ci: i32, oh: i32, ow: i32, co: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, pt: i32, pl: i32,
): void {
  X = x; DY = dy; H = h; W = w; CI = ci; OH = oh; OW = ow; CO = co; SH = sh; SW = sw;
  memory.fill(dw, 0, <usize>(kh * kw * ci * co) << 2);
  const perImage = (h * w * ci + oh * ow * co) << 2;
  const chunk = max(1, CHUNK_BYTES / max(1, perImage));
  for (B0 = 0; B0 < n; B0 += chunk) {
    B1 = min(n, B0 + chunk);
    for (let r = 0; r < kh; r++) {
      ROW = r - pt;
      OH0 = max(0, ceilDiv(-ROW, sh));
      OH1 = min(oh, floorDiv(h - 1 - ROW, sh) + 1);
      for (let s = 0; s < kw; s++) {
        COL = s - pl;
        OW0 = max(0, ceilDiv(-COL, sw));
        OW1 = min(ow, floorDiv(w - 1 - COL, sw) + 1);
        if (OH1 <= OH0 || OW1 <= OW0) continue;
        const tap = dw + ((<usize>(r * kw + s) * ci * co) << 2);
        let c0 = 0;
        for (; c0 + 4 <= ci; c0 += 4) tileRow(c0, 4, tap);
        for (; c0 < ci; c0++) tileRow(c0, 1, tap);
      }
    }
  }
}

/** dW[tap, c0 .. c0+rows, every co]: tiles 8 wide, then 4 wide, then single columns. */
function tileRow(c0: i32, rows: i32, tap: usize): void {
  const out = tap + (<usize>(c0 * CO) << 2);
  let o0 = 0;
  for (; o0 + 8 <= CO; o0 += 8) {
    if (rows === 4) tile4x8(c0, o0, out + (<usize>o0 << 2));
    else tile1x8(c0, o0, out + (<usize>o0 << 2));
  }
  for (; o0 + 4 <= CO; o0 += 4) {
    if (rows === 4) tile4x4(c0, o0, out + (<usize>o0 << 2));
    else tile1x4(c0, o0, out + (<usize>o0 << 2));
  }
  for (; o0 < CO; o0++) {
    for (let c = 0; c < rows; c++) tile1x1(c0 + c, o0, out + (<usize>(c * CO + o0) << 2));
  }
}

/** Byte offsets of x[b, r*sh + ROW, OW0*sw + COL, c] and dy[b, r, OW0, o]. */
@inline function xAt(b: i32, r: i32, c: i32): usize {
  return X + (<usize>(((b * H + r * SH + ROW) * W + OW0 * SW + COL) * CI + c) << 2);
}
@inline function dyAt(b: i32, r: i32, o: i32): usize {
  return DY + (<usize>(((b * OH + r) * OW + OW0) * CO + o) << 2);
}
/** out[i] += a, for the accumulator of tile row `row` and vector `v`. */
@inline function addTo(out: usize, row: i32, v: i32, a: v128): void {
  const p = out + (<usize>(row * CO + v * 4) << 2);
  v128.store(p, f32x4.add(v128.load(p), a));
}

function tile4x8(c0: i32, o0: i32, out: usize): void {
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
  let a4 = f32x4.splat(0), a5 = f32x4.splat(0), a6 = f32x4.splat(0), a7 = f32x4.splat(0);
  const xStep = <usize>(SW * CI) << 2;
  const dStep = <usize>CO << 2;
  for (let b = B0; b < B1; b++) {
    for (let r = OH0; r < OH1; r++) {
      let xp = xAt(b, r, c0);
      let dp = dyAt(b, r, o0);
      for (let c = OW0; c < OW1; c++, xp += xStep, dp += dStep) {
        const d0 = v128.load(dp), d1 = v128.load(dp, 16);
        const x0 = v128.load32_splat(xp), x1 = v128.load32_splat(xp, 4);
        const x2 = v128.load32_splat(xp, 8), x3 = v128.load32_splat(xp, 12);
        a0 = f32x4.add(a0, f32x4.mul(x0, d0)); a1 = f32x4.add(a1, f32x4.mul(x0, d1));
        a2 = f32x4.add(a2, f32x4.mul(x1, d0)); a3 = f32x4.add(a3, f32x4.mul(x1, d1));
        a4 = f32x4.add(a4, f32x4.mul(x2, d0)); a5 = f32x4.add(a5, f32x4.mul(x2, d1));
        a6 = f32x4.add(a6, f32x4.mul(x3, d0)); a7 = f32x4.add(a7, f32x4.mul(x3, d1));
      }
    }
  }
  addTo(out, 0, 0, a0); addTo(out, 0, 1, a1); addTo(out, 1, 0, a2); addTo(out, 1, 1, a3);
  addTo(out, 2, 0, a4); addTo(out, 2, 1, a5); addTo(out, 3, 0, a6); addTo(out, 3, 1, a7);
}

function tile4x4(c0: i32, o0: i32, out: usize): void {
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
  const xStep = <usize>(SW * CI) << 2;
  const dStep = <usize>CO << 2;
  for (let b = B0; b < B1; b++) {
    for (let r = OH0; r < OH1; r++) {
      let xp = xAt(b, r, c0);
      let dp = dyAt(b, r, o0);
      for (let c = OW0; c < OW1; c++, xp += xStep, dp += dStep) {
        const d0 = v128.load(dp);
        a0 = f32x4.add(a0, f32x4.mul(v128.load32_splat(xp), d0));
        a1 = f32x4.add(a1, f32x4.mul(v128.load32_splat(xp, 4), d0));
        a2 = f32x4.add(a2, f32x4.mul(v128.load32_splat(xp, 8), d0));
        a3 = f32x4.add(a3, f32x4.mul(v128.load32_splat(xp, 12), d0));
      }
    }
  }
  addTo(out, 0, 0, a0); addTo(out, 1, 0, a1); addTo(out, 2, 0, a2); addTo(out, 3, 0, a3);
}

function tile1x8(c0: i32, o0: i32, out: usize): void {
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0);
  const xStep = <usize>(SW * CI) << 2;
  const dStep = <usize>CO << 2;
  for (let b = B0; b < B1; b++) {
    for (let r = OH0; r < OH1; r++) {
      let xp = xAt(b, r, c0);
      let dp = dyAt(b, r, o0);
      for (let c = OW0; c < OW1; c++, xp += xStep, dp += dStep) {
        const x0 = v128.load32_splat(xp);
        a0 = f32x4.add(a0, f32x4.mul(x0, v128.load(dp)));
        a1 = f32x4.add(a1, f32x4.mul(x0, v128.load(dp, 16)));
      }
    }
  }
  addTo(out, 0, 0, a0); addTo(out, 0, 1, a1);
}

function tile1x4(c0: i32, o0: i32, out: usize): void {
  let a0 = f32x4.splat(0);
  const xStep = <usize>(SW * CI) << 2;
  const dStep = <usize>CO << 2;
  for (let b = B0; b < B1; b++) {
    for (let r = OH0; r < OH1; r++) {
      let xp = xAt(b, r, c0);
      let dp = dyAt(b, r, o0);
      for (let c = OW0; c < OW1; c++, xp += xStep, dp += dStep) {
        a0 = f32x4.add(a0, f32x4.mul(v128.load32_splat(xp), v128.load(dp)));
      }
    }
  }
  addTo(out, 0, 0, a0);
}

function tile1x1(c0: i32, o0: i32, out: usize): void {
  let a: f32 = 0;
  const xStep = <usize>(SW * CI) << 2;
  const dStep = <usize>CO << 2;
  for (let b = B0; b < B1; b++) {
    for (let r = OH0; r < OH1; r++) {
      let xp = xAt(b, r, c0);
      let dp = dyAt(b, r, o0);
      for (let c = OW0; c < OW1; c++, xp += xStep, dp += dStep) a += load<f32>(xp) * load<f32>(dp);
    }
  }
  store<f32>(out, load<f32>(out) + a);
}

/** Rounding divisions for a positive divisor and a numerator of either sign. */
@inline function floorDiv(a: i32, b: i32): i32 {
  return a >= 0 ? a / b : -((b - 1 - a) / b);
}
@inline function ceilDiv(a: i32, b: i32): i32 {
  return -floorDiv(-a, b);
}
