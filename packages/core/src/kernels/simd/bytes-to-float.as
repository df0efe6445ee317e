// AssemblyScript, compiled into ../simd-binary.ts by build.mjs (see conv2d-filter-grad.as).

/**
 * Bytes (uint8, e.g. pixels) to float32 times a scale, sixteen at a time:
 *
 *   out[i] = bytes[i] * scale
 *
 * Batches are kept as uint8 until a step needs them; this turns one into the float tensor in
 * the wasm heap, where a JavaScript loop over 78,400 pixels took a fifth of a linear model's step.
 * The signed conversion (exact for 0..255) is one x64 instruction; the unsigned one is a sequence.
 */
export function bytesToFloat(bytes: usize, out: usize, n: i32, scale: f32): void {
  const s = f32x4.splat(scale);
  const vectorBytes = <usize>(n >> 4) << 4;
  let i: usize = 0;
  for (; i < vectorBytes; i += 16) {
    const v = v128.load(bytes + i);
    const lo = i16x8.extend_low_i8x16_u(v);
    const hi = i16x8.extend_high_i8x16_u(v);
    const o = out + (i << 2);
    v128.store(o, f32x4.mul(f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_u(lo)), s));
    v128.store(o + 16, f32x4.mul(f32x4.convert_i32x4_s(i32x4.extend_high_i16x8_u(lo)), s));
    v128.store(o + 32, f32x4.mul(f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_u(hi)), s));
    v128.store(o + 48, f32x4.mul(f32x4.convert_i32x4_s(i32x4.extend_high_i16x8_u(hi)), s));
  }
  for (; i < <usize>n; i++) store<f32>(out + (i << 2), <f32>load<u8>(bytes + i) * scale);
}
