// AssemblyScript, compiled into ../simd-binary.ts by build.mjs (see conv2d-filter-grad.as).

/**
 * One SGD update of a parameter w (n floats) from its gradient g, PyTorch's rule:
 *
 *   g' = g + decay * w   (g itself when decay is 0, so an infinite w stays infinite, not NaN)
 *   momentum 0:  w_new = w - lr * g'
 *   else:        v_new = momentum * v + g';  w_new = w - lr * (nesterov ? g' + momentum * v_new : v_new)
 *
 * Writes w_new to wOut and (with momentum) v_new to vOut; one pass, four lanes at a time.
 */
export function sgdUpdate(
  w: usize,
  g: usize,
  v: usize,
  wOut: usize,
  vOut: usize,
  n: i32,
  lr: f32,
  momentum: f32,
  nesterov: i32,
  decay: f32,
): void {
  const vectorBytes = <usize>(n >> 2) << 4;
  const bytes = <usize>n << 2;
  const lrV = f32x4.splat(lr);
  const muV = f32x4.splat(momentum);
  const decayV = f32x4.splat(decay);
  let i: usize = 0;
  if (momentum == 0) {
    for (; i < vectorBytes; i += 16) {
      const wi = v128.load(w + i);
      const gi = decay != 0 ? f32x4.add(v128.load(g + i), f32x4.mul(decayV, wi)) : v128.load(g + i);
      v128.store(wOut + i, f32x4.sub(wi, f32x4.mul(lrV, gi)));
    }
    for (; i < bytes; i += 4) {
      const wi = load<f32>(w + i);
      store<f32>(wOut + i, wi - lr * (decay != 0 ? load<f32>(g + i) + decay * wi : load<f32>(g + i)));
    }
    return;
  }
  for (; i < vectorBytes; i += 16) {
    const wi = v128.load(w + i);
    const gi = decay != 0 ? f32x4.add(v128.load(g + i), f32x4.mul(decayV, wi)) : v128.load(g + i);
    const vi = f32x4.add(f32x4.mul(muV, v128.load(v + i)), gi);
    v128.store(vOut + i, vi);
    const step = nesterov != 0 ? f32x4.add(gi, f32x4.mul(muV, vi)) : vi;
    v128.store(wOut + i, f32x4.sub(wi, f32x4.mul(lrV, step)));
  }
  for (; i < bytes; i += 4) {
    const wi = load<f32>(w + i);
    const gi = decay != 0 ? load<f32>(g + i) + decay * wi : load<f32>(g + i);
    const vi = momentum * load<f32>(v + i) + gi;
    store<f32>(vOut + i, vi);
    store<f32>(wOut + i, wi - lr * (nesterov != 0 ? gi + momentum * vi : vi));
  }
}
