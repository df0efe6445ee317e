// AssemblyScript, compiled into ../simd-binary.ts by build.mjs (see conv2d-filter-grad.as).

/**
 * A bias added to every row of a row-major [rows, cols] matrix (a conv or dense output
 * [N, H, W, C] plus its bias [C]):
 *
 *   out[r, c] = x[r, c] + bias[c]
 *
 * Four columns at a time; tfjs-backend-wasm's Add walks broadcasts element by element.
 */
export function addBias(x: usize, bias: usize, out: usize, rows: i32, cols: i32): void {
  const vectorBytes = <usize>(cols >> 2) << 4;
  const rowBytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    let i: usize = 0;
    for (; i < vectorBytes; i += 16) {
      v128.store(out + i, f32x4.add(v128.load(x + i), v128.load(bias + i)));
    }
    for (; i < rowBytes; i += 4) store<f32>(out + i, load<f32>(x + i) + load<f32>(bias + i));
    x += rowBytes;
    out += rowBytes;
  }
}
