// AssemblyScript, compiled into ../simd-binary.ts by build.mjs (see conv2d-filter-grad.as).
//
// The forward convolution of a one-channel input (a first layer on grey images), NHWC:
//
//   out[n, oh, ow, co] = relu?(bias[co] + sum over kh, kw of x[n, oh*sh + kh - pt, ow*sw + kw - pl] * W[kh, kw, 0, co])
//
// directly, without im2col: per output position, each tap's input value is broadcast and
// multiplied into sixteen output channels (four vectors) at once, the filter's rows coming
// from L1. As im2col and a product, the shared dimension (the window, 9 values for 3x3) is too
// short for the product's blocks: 7.9 GMAC/s there on m2cnn's first layer.

import { madd } from './gemm';

/**
 * out = relu?(conv(x, W) + bias) for x [n, h, w, 1], W [kh, kw, 1, co] with co a multiple of
 * 4, out [n, oh, ow, co]; bias 0 means none.
 */
export function conv2dForwardC1(
  x: usize, w: usize, bias: usize, out: usize, relu: i32,
  n: i32, h: i32, wd: i32, oh: i32, ow: i32, co: i32, kh: i32, kw: i32, sh: i32, sw: i32,
  pt: i32, pl: i32,
): void {
  const rowBytes = <usize>co << 2;
  const zero = f32x4.splat(0);
  let o = out;
  for (let b = 0; b < n; b++) {
    const image = x + ((<usize>b * <usize>h * <usize>wd) << 2);
    for (let r = 0; r < oh; r++) {
      const top = r * sh - pt;
      const k0 = max(0, -top), k1 = min(kh, h - top); // taps inside the input, rows
      for (let s = 0; s < ow; s++, o += rowBytes) {
        const left = s * sw - pl;
        const j0 = max(0, -left), j1 = min(kw, wd - left);
        for (let c: usize = 0; c < rowBytes; ) {
          const wide = c + 64 <= rowBytes; // sixteen channels, else four
          let a0 = zero, a1 = zero, a2 = zero, a3 = zero;
          if (bias != 0) {
            a0 = v128.load(bias + c);
            if (wide) {
              a1 = v128.load(bias + c, 16); a2 = v128.load(bias + c, 32); a3 = v128.load(bias + c, 48);
            }
          }
          for (let i = k0; i < k1; i++) {
            const xr = image + (<usize>((top + i) * wd + left) << 2);
            const wr = w + <usize>(i * kw) * rowBytes + c;
            for (let j = j0; j < j1; j++) {
              const v = v128.load32_splat(xr + (<usize>j << 2));
              const wp = wr + <usize>j * rowBytes;
              a0 = madd(v, v128.load(wp), a0);
              if (wide) {
                a1 = madd(v, v128.load(wp, 16), a1);
                a2 = madd(v, v128.load(wp, 32), a2);
                a3 = madd(v, v128.load(wp, 48), a3);
              }
            }
          }
          if (relu != 0) {
            a0 = f32x4.max(a0, zero); a1 = f32x4.max(a1, zero);
            a2 = f32x4.max(a2, zero); a3 = f32x4.max(a3, zero);
          }
          v128.store(o + c, a0);
          if (wide) {
            v128.store(o + c, a1, 16); v128.store(o + c, a2, 32); v128.store(o + c, a3, 48);
          }
          c += wide ? 64 : 16;
        }
      }
    }
  }
}
