// AssemblyScript, compiled into ../simd-binary.ts by build.mjs (see conv2d-filter-grad.as).

/**
 * Filter gradient of a depthwise convolution with channel multiplier 1, x and dy [N, H|OH, W|OW, C],
 * dW [KH, KW, C, 1]:
 *
 *   dW[kh, kw, c] = sum over n, oh, ow of x[n, oh*sh + kh - pt, ow*sw + kw - pl, c] * dy[n, oh, ow, c]
 *
 * Per tap, over the rectangle of output positions whose input pixel lies inside x, eight
 * channels at a time in two SIMD accumulators (then four, then one).
 */
export function depthwiseFilterGrad(
  x: usize, dy: usize, dw: usize, n: i32, h: i32, w: i32, c: i32, oh: i32, ow: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, pt: i32, pl: i32,
): void {
  const xStep = <usize>(sw * c) << 2;
  const dStep = <usize>c << 2;
  for (let r = 0; r < kh; r++) {
    const row = r - pt;
    const oh0 = max(0, ceilDiv(-row, sh)), oh1 = min(oh, floorDiv(h - 1 - row, sh) + 1);
    for (let s = 0; s < kw; s++) {
      const col = s - pl;
      const ow0 = max(0, ceilDiv(-col, sw)), ow1 = min(ow, floorDiv(w - 1 - col, sw) + 1);
      const out = dw + (<usize>((r * kw + s) * c) << 2);
      let k = 0;
      for (; k + 8 <= c; k += 8) {
        let a0 = f32x4.splat(0), a1 = f32x4.splat(0);
        for (let b = 0; b < n; b++) {
          for (let i = oh0; i < oh1; i++) {
            let xp = x + (<usize>(((b * h + i * sh + row) * w + ow0 * sw + col) * c + k) << 2);
            let dp = dy + (<usize>(((b * oh + i) * ow + ow0) * c + k) << 2);
            for (let j = ow0; j < ow1; j++, xp += xStep, dp += dStep) {
              a0 = f32x4.add(a0, f32x4.mul(v128.load(xp), v128.load(dp)));
              a1 = f32x4.add(a1, f32x4.mul(v128.load(xp, 16), v128.load(dp, 16)));
            }
          }
        }
        v128.store(out + (<usize>k << 2), a0);
        v128.store(out + (<usize>k << 2), a1, 16);
      }
      for (; k + 4 <= c; k += 4) {
        let a0 = f32x4.splat(0);
        for (let b = 0; b < n; b++) {
          for (let i = oh0; i < oh1; i++) {
            let xp = x + (<usize>(((b * h + i * sh + row) * w + ow0 * sw + col) * c + k) << 2);
            let dp = dy + (<usize>(((b * oh + i) * ow + ow0) * c + k) << 2);
            for (let j = ow0; j < ow1; j++, xp += xStep, dp += dStep) {
              a0 = f32x4.add(a0, f32x4.mul(v128.load(xp), v128.load(dp)));
            }
          }
        }
        v128.store(out + (<usize>k << 2), a0);
      }
      for (; k < c; k++) {
        let a: f32 = 0;
        for (let b = 0; b < n; b++) {
          for (let i = oh0; i < oh1; i++) {
            let xp = x + (<usize>(((b * h + i * sh + row) * w + ow0 * sw + col) * c + k) << 2);
            let dp = dy + (<usize>(((b * oh + i) * ow + ow0) * c + k) << 2);
            for (let j = ow0; j < ow1; j++, xp += xStep, dp += dStep) {
              a += load<f32>(xp) * load<f32>(dp);
            }
          }
        }
        store<f32>(out + (<usize>k << 2), a);
      }
    }
  }
}

/** Rounding divisions for a positive divisor and a numerator of either sign. */
@inline function floorDiv(a: i32, b: i32): i32 {
  return a >= 0 ? a / b : -((b - 1 - a) / b);
}
@inline function ceilDiv(a: i32, b: i32): i32 {
  return -floorDiv(-a, b);
}
