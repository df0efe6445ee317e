import * as tf from '@tensorflow/tfjs-core';
import type { BatchTransform } from '@tunelab/core';

/** Options of {@link randomFlip}. */
export interface RandomFlipArgs {
  /** Probability that an image is mirrored left-right. Default 0.5. */
  p?: number;
}

/**
 * Horizontal flip of each image with probability p (independently per example, seeded).
 * Training-time augmentation: pass it as fit's `augment`.
 * `fit(model, { ..., augment: randomFlip({ p: 0.5 }) })` flips about half the training images
 * each epoch.
 */
export function randomFlip(args: RandomFlipArgs = {}): BatchTransform {
  const p = args.p ?? 0.5;
  if (!(p >= 0 && p <= 1)) throw new Error(`randomFlip: p must be in [0, 1], got ${p}`);
  return (batch, rng) => {
    const n = batch.x.shape[0]!;
    const flip = new Uint8Array(n);
    for (let i = 0; i < n; i++) flip[i] = rng.float() < p ? 1 : 0;
    // The mask is [n, 1, 1, 1]: tf.where broadcasts a rank-1 condition along the last axis.
    const x = tf.tidy(() =>
      tf.where(
        tf.tensor4d(flip, [n, 1, 1, 1], 'bool'),
        tf.image.flipLeftRight(batch.x as tf.Tensor4D),
        batch.x,
      ),
    );
    batch.x.dispose();
    return { ...batch, x };
  };
}
