import * as tf from '@tensorflow/tfjs-core';
import { SgdUpdateKernel } from '../kernels/sgd-update.js';
import { canRunSimdKernel } from '../kernels/simd-probe.js';

/** The SGD rule {@link sgdUpdate} applies (PyTorch's; see @tunelab/optimizers' sgd). */
export interface SgdRule {
  /** Learning rate. */
  lr: number;
  /** Momentum mu; 0 for plain SGD. */
  momentum: number;
  /** Nesterov's look-ahead form (needs momentum). */
  nesterov: boolean;
  /** Coupled L2 decay: weightDecay * w is added to each gradient first; 0 for none. */
  weightDecay: number;
}

/**
 * Updates every parameter in place from its gradient with SGD in one kernel (TunelabSgdUpdate
 * on wasm): g' = g + weightDecay w, then w <- w - lr g', or with momentum v <- mu v + g',
 * w <- w - lr v (Nesterov: w <- w - lr (g' + mu v)), velocities updated in place too. The
 * same float32 operations in the same order as the per-parameter tfjs ops, so the same
 * values. Returns false, changing nothing, where the backend has no such kernel or a tensor
 * is not float32 of its parameter's shape: the caller then updates parameter by parameter.
 */
export function sgdUpdate(
  params: readonly tf.Variable[],
  grads: readonly tf.Tensor[],
  velocities: readonly tf.Variable[] | null,
  rule: SgdRule,
): boolean {
  const momentum = rule.momentum > 0;
  if (momentum !== (velocities !== null)) return false;
  const same = (a: tf.Tensor, b: tf.Tensor | undefined) =>
    b !== undefined && b.dtype === 'float32' && tf.util.arraysEqual(a.shape, b.shape);
  const fits = params.every(
    (p, i) =>
      p.dtype === 'float32' && same(p, grads[i]) && (velocities === null || same(p, velocities[i])),
  );
  if (!fits || grads.length !== params.length || !canRunSimdKernel(SgdUpdateKernel)) return false;
  if (params.length === 0) return true;
  const inputs: tf.NamedTensorMap = {};
  params.forEach((p, i) => {
    inputs[`w${i}`] = p;
    inputs[`g${i}`] = grads[i]!;
    if (velocities) inputs[`v${i}`] = velocities[i]!;
  });
  const attrs = {
    count: params.length,
    lr: rule.lr,
    momentum: rule.momentum,
    nesterov: rule.nesterov ? 1 : 0,
    weightDecay: rule.weightDecay,
  };
  const outputs = tf
    .engine()
    .runKernel(SgdUpdateKernel, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
  for (const [i, p] of params.entries()) p.assign(outputs[i]!);
  for (const [i, v] of (velocities ?? []).entries()) v.assign(outputs[params.length + i]!);
  for (const t of outputs) t.dispose();
  return true;
}
