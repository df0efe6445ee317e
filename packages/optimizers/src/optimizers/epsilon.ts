import * as tf from '@tensorflow/tfjs-core';

/**
 * Where an adaptive optimizer adds epsilon to its root-mean-square denominator:
 * - 'outside': sqrt(s) + eps (Kingma & Ba's Adam, PyTorch's RMSprop and Adagrad);
 * - 'inside': sqrt(s + eps) (TensorFlow's and tf.train's RMSProp and Adagrad).
 * The two differ most while s is near zero (first steps, parameters with rare gradients).
 */
export type EpsilonPlacement = 'outside' | 'inside';

/** sqrt(s) + eps or sqrt(s + eps). */
export function rootWithEpsilon(
  s: tf.Tensor,
  epsilon: number,
  placement: EpsilonPlacement,
): tf.Tensor {
  return placement === 'inside' ? tf.sqrt(tf.add(s, epsilon)) : tf.add(tf.sqrt(s), epsilon);
}

/** Checks an epsilon and its placement; returns the placement (default 'outside'). */
export function checkEpsilon(
  where: string,
  epsilon: number,
  placement: EpsilonPlacement | undefined,
): EpsilonPlacement {
  if (!(typeof epsilon === 'number' && epsilon > 0))
    throw new Error(`${where}: epsilon must be a positive number, got ${epsilon}`);
  const p = placement ?? 'outside';
  if (p !== 'outside' && p !== 'inside')
    throw new Error(`${where}: epsilonPlacement must be 'outside' or 'inside', got ${String(p)}`);
  return p;
}
