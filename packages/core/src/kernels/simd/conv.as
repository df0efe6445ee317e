// AssemblyScript, compiled into ../simd-binary.ts by build.mjs (see conv2d-filter-grad.as).
//
// 2-D convolutions (NHWC, filter [KH, KW, CI, CO], dilation 1) as matrix products (gemm.as)
// over chunks of output positions: the chunk's input windows are copied into rows of a
// scratch matrix `col` [rows, KH*KW*CI] (im2col) small enough to stay in cache, then
//
//   forward          out[rows, CO]  = col W              (W seen as [KH*KW*CI, CO])
//   filter gradient  dW             += col^T dy[rows, CO]
//   input gradient   col = dy[rows, CO] W^T, added back into dx at the windows (col2im)
//
// A 1x1 convolution with stride 1 and no padding needs no copy: its rows are the input's.
// The caller sizes `col` (see ../conv-gemm.ts) and passes the geometry in this order:
// n, h, w, ci, oh, ow, co, kh, kw, sh, sw, pt, pl.

import { gemmNN, gemmTN } from './gemm';

/** Shared-dimension block of the forward product: its slice of W stays in cache. */
const KC = 512;

let N = 0, H = 0, W = 0, CI = 0, OH = 0, OW = 0, CO = 0, KH = 0, KW = 0, SH = 0, SW = 0, PT = 0, PL = 0;

// @ts-ignore: decorator
@inline
function setGeometry(n: i32, h: i32, w: i32, ci: i32, oh: i32, ow: i32, co: i32, kh: i32, kw: i32, sh: i32, sw: i32, pt: i32, pl: i32): void {
  N = n; H = h; W = w; CI = ci; OH = oh; OW = ow; CO = co; KH = kh; KW = kw; SH = sh; SW = sw; PT = pt; PL = pl;
}

// @ts-ignore: decorator
@inline
function pointwise(): bool {
  return KH == 1 && KW == 1 && SH == 1 && SW == 1 && PT == 0 && PL == 0;
}

/** Copies `count` floats from src to dst (four at a time while it can). */
// @ts-ignore: decorator
@inline
function copyFloats(dst: usize, src: usize, count: i32): void {
  const bytes = <usize>count << 2;
  let i: usize = 0;
  for (; i + 16 <= bytes; i += 16) v128.store(dst + i, v128.load(src + i));
  for (; i < bytes; i += 4) store<f32>(dst + i, load<f32>(src + i));
}

// @ts-ignore: decorator
@inline
function zeroFloats(dst: usize, count: i32): void {
  const bytes = <usize>count << 2;
  let i: usize = 0;
  for (; i + 16 <= bytes; i += 16) v128.store(dst + i, f32x4.splat(0));
  for (; i < bytes; i += 4) store<f32>(dst + i, 0);
}

// @ts-ignore: decorator
@inline
function addFloats(dst: usize, src: usize, count: i32): void {
  const bytes = <usize>count << 2;
  let i: usize = 0;
  for (; i + 16 <= bytes; i += 16) v128.store(dst + i, f32x4.add(v128.load(dst + i), v128.load(src + i)));
  for (; i < bytes; i += 4) store<f32>(dst + i, load<f32>(dst + i) + load<f32>(src + i));
}

/** Rows [r0, r0 + rows) of im2col(x): row r holds the window of output position r (n, oh, ow). */
function im2col(x: usize, col: usize, r0: i32, rows: i32): void {
  const span = KW * CI;
  let dst = col;
  let ow = r0 % OW;
  let t = r0 / OW;
  let oh = t % OH;
  let b = t / OH;
  for (let r = 0; r < rows; r++) {
    const top = oh * SH - PT;
    const left = ow * SW - PL;
    const image = x + ((<usize>b * <usize>H * <usize>W * <usize>CI) << 2);
    for (let kh = 0; kh < KH; kh++) {
      const ih = top + kh;
      if (ih < 0 || ih >= H) {
        zeroFloats(dst, span);
      } else if (left >= 0 && left + KW <= W) {
        // The whole row of the window is inside: one contiguous run of KW * CI floats.
        copyFloats(dst, image + ((<usize>(ih * W + left) * <usize>CI) << 2), span);
      } else {
        for (let kw = 0; kw < KW; kw++) {
          const iw = left + kw;
          const d = dst + (<usize>(kw * CI) << 2);
          if (iw < 0 || iw >= W) zeroFloats(d, CI);
          else copyFloats(d, image + ((<usize>(ih * W + iw) * <usize>CI) << 2), CI);
        }
      }
      dst += <usize>span << 2;
    }
    if (++ow == OW) {
      ow = 0;
      if (++oh == OH) {
        oh = 0;
        b++;
      }
    }
  }
}

/** Adds rows [r0, r0 + rows) of a col matrix back into dx at their windows (the adjoint of im2col). */
function col2imAdd(col: usize, dx: usize, r0: i32, rows: i32): void {
  let src = col;
  let ow = r0 % OW;
  let t = r0 / OW;
  let oh = t % OH;
  let b = t / OH;
  for (let r = 0; r < rows; r++) {
    const top = oh * SH - PT;
    const left = ow * SW - PL;
    const image = dx + ((<usize>b * <usize>H * <usize>W * <usize>CI) << 2);
    for (let kh = 0; kh < KH; kh++) {
      const ih = top + kh;
      if (ih >= 0 && ih < H) {
        for (let kw = 0; kw < KW; kw++) {
          const iw = left + kw;
          if (iw >= 0 && iw < W)
            addFloats(image + ((<usize>(ih * W + iw) * <usize>CI) << 2), src + (<usize>(kw * CI) << 2), CI);
        }
      }
      src += <usize>(KW * CI) << 2;
    }
    if (++ow == OW) {
      ow = 0;
      if (++oh == OH) {
        oh = 0;
        b++;
      }
    }
  }
}

/**
 * out [N, OH, OW, CO] = act(conv(x, W) + bias), chunks of `chunk` output positions; bias 0 for
 * none, relu != 0 for max(., 0). `col` holds chunk * KH * KW * CI floats.
 */
export function conv2dForward(
  x: usize, w: usize, bias: usize, out: usize, col: usize, chunk: i32, relu: i32,
  n: i32, h: i32, wd: i32, ci: i32, oh: i32, ow: i32, co: i32, kh: i32, kw: i32, sh: i32, sw: i32, pt: i32, pl: i32,
): void {
  setGeometry(n, h, wd, ci, oh, ow, co, kh, kw, sh, sw, pt, pl);
  const k = kh * kw * ci;
  const m = n * oh * ow;
  const direct = pointwise();
  for (let r0 = 0; r0 < m; r0 += chunk) {
    const rows = min(chunk, m - r0);
    let a = x + ((<usize>r0 * <usize>k) << 2);
    if (!direct) {
      im2col(x, col, r0, rows);
      a = col;
    }
    const o = out + ((<usize>r0 * <usize>co) << 2);
    if (k == 0) {
      gemmNN(a, k, w, co, o, co, rows, 0, co, bias, 0, relu, 0);
      continue;
    }
    // Blocks of KC along the shared dimension; bias and relu once the sum is whole.
    for (let k0 = 0; k0 < k; k0 += KC) {
      const kc = min(KC, k - k0);
      const last = k0 + kc == k;
      gemmNN(
        a + (<usize>k0 << 2), k, w + ((<usize>k0 * <usize>co) << 2), co, o, co,
        rows, kc, co, last ? bias : 0, 0, last ? relu : 0, k0 > 0 ? 1 : 0,
      );
    }
  }
}

/** dW [KH, KW, CI, CO] = sum over positions of window(x)^T dy, in chunks of `chunk` positions. */
export function conv2dFilterGradGemm(
  x: usize, dy: usize, dw: usize, col: usize, chunk: i32,
  n: i32, h: i32, wd: i32, ci: i32, oh: i32, ow: i32, co: i32, kh: i32, kw: i32, sh: i32, sw: i32, pt: i32, pl: i32,
): void {
  setGeometry(n, h, wd, ci, oh, ow, co, kh, kw, sh, sw, pt, pl);
  const k = kh * kw * ci;
  const m = n * oh * ow;
  if (m == 0) zeroFloats(dw, k * co);
  const direct = pointwise();
  for (let r0 = 0; r0 < m; r0 += chunk) {
    const rows = min(chunk, m - r0);
    let a = x + ((<usize>r0 * <usize>k) << 2);
    if (!direct) {
      im2col(x, col, r0, rows);
      a = col;
    }
    gemmTN(a, k, dy + ((<usize>r0 * <usize>co) << 2), co, dw, co, rows, k, co, r0 > 0 ? 1 : 0);
  }
}

/**
 * dx [N, H, W, CI] = the windows of dy W^T added up, in chunks of `chunk` positions; `wT` is
 * W transposed to [CO, KH*KW*CI] (see gemm.as's transpose).
 */
export function conv2dInputGradGemm(
  dy: usize, wT: usize, dx: usize, col: usize, chunk: i32,
  n: i32, h: i32, wd: i32, ci: i32, oh: i32, ow: i32, co: i32, kh: i32, kw: i32, sh: i32, sw: i32, pt: i32, pl: i32,
): void {
  setGeometry(n, h, wd, ci, oh, ow, co, kh, kw, sh, sw, pt, pl);
  const k = kh * kw * ci;
  const m = n * oh * ow;
  const direct = pointwise();
  if (!direct) zeroFloats(dx, n * h * wd * ci);
  for (let r0 = 0; r0 < m; r0 += chunk) {
    const rows = min(chunk, m - r0);
    const d = dy + ((<usize>r0 * <usize>co) << 2);
    if (direct) {
      gemmNN(d, co, wT, k, dx + ((<usize>r0 * <usize>k) << 2), k, rows, co, k, 0, 0, 0, 0);
    } else {
      gemmNN(d, co, wT, k, col, k, rows, co, k, 0, 0, 0, 0);
      col2imAdd(col, dx, r0, rows);
    }
  }
}
