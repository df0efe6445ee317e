// AssemblyScript, compiled into ../simd-binary.ts by build.mjs (see conv2d-filter-grad.as).

/**
 * The gradient of relu given the upstream gradient and the relu's input or output (both are
 * positive exactly where the unit is active):
 *
 *   dx[i] = y[i] > 0 ? dy[i] : 0
 *
 * One pass, four lanes at a time; tfjs computes it as Multiply(dy, Step(y)), two passes and a
 * temporary.
 */
export function reluGrad(dy: usize, y: usize, dx: usize, n: i32): void {
  const zero = f32x4.splat(0);
  const vectorBytes = <usize>(n >> 2) << 4;
  const bytes = <usize>n << 2;
  let i: usize = 0;
  for (; i < vectorBytes; i += 16) {
    const mask = f32x4.gt(v128.load(y + i), zero);
    v128.store(dx + i, v128.and(v128.load(dy + i), mask));
  }
  for (; i < bytes; i += 4) store<f32>(dx + i, load<f32>(y + i) > 0 ? load<f32>(dy + i) : 0);
}
