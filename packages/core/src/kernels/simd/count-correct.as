// AssemblyScript, compiled into ../simd-binary.ts by build.mjs (see conv2d-filter-grad.as).

/**
 * How many rows of outputs [n, c] have their arg-max (the first maximum, as tf.argMax picks
 * it) equal to the class id in labels [n] (int32), written as a float32 count. tfjs's
 * composite is ArgMax, Equal, Cast and Sum.
 */
export function countCorrect(outputs: usize, labels: usize, count: usize, n: i32, c: i32): void {
  let correct: i32 = 0;
  const rowBytes = <usize>c << 2;
  for (let i = 0; i < n; i++) {
    const z = outputs + <usize>i * rowBytes;
    let best: i32 = 0;
    let top = load<f32>(z);
    for (let j = 1; j < c; j++) {
      const v = load<f32>(z + (<usize>j << 2));
      if (v > top) {
        top = v;
        best = j;
      }
    }
    if (best == load<i32>(labels + (<usize>i << 2))) correct++;
  }
  store<f32>(count, <f32>correct);
}
