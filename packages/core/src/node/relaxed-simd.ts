import v8 from 'node:v8';

/**
 * The smallest module using a relaxed-SIMD instruction (f32x4.relaxed_madd of three zero
 * vectors): validates only where the engine has relaxed SIMD.
 */
const PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, 0x03,
  0x02, 0x01, 0x00, 0x0a, 0x3d, 0x01, 0x3b, 0x00, 0xfd, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xfd, 0x0c, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xfd, 0x0c, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xfd, 0x85,
  0x02, 0x0b,
]);

/** True when this engine compiles relaxed-SIMD wasm. */
export function hasWasmRelaxedSimd(): boolean {
  return WebAssembly.validate(PROBE);
}

/**
 * Turns on V8's relaxed SIMD where it is behind a flag (Node 20: --experimental-wasm-relaxed-simd;
 * Node 22 and later ship it on), so the SIMD kernels load their fused multiply-add build
 * (about 13% faster matrix products on the development machine). V8 flags are per process:
 * worker threads started afterwards see it too. Call it before the wasm backend first runs a
 * tunelab kernel (the CLI does so when it picks the backend). TUNELAB_RELAXED_SIMD=0 skips it.
 * Returns whether relaxed SIMD is available afterwards.
 */
export function enableWasmRelaxedSimd(): boolean {
  if (hasWasmRelaxedSimd()) return true;
  if (process.env.TUNELAB_RELAXED_SIMD === '0') return false;
  v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  return hasWasmRelaxedSimd();
}
