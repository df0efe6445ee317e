import * as tf from '@tensorflow/tfjs-core';
import type { BatchTransform } from '@tunelab/core';

/** Bilinear resize of every image to height x width (e.g. 28x28 -> 32x32 for transfer learning). */
export function resize(height: number, width: number = height): BatchTransform {
  return (batch) => {
    const x = tf.tidy(() => tf.image.resizeBilinear(batch.x as tf.Tensor4D, [height, width]));
    batch.x.dispose();
    return { ...batch, x };
  };
}

/**
 * Zero-pads every image by `pixels` on each side: 28x28 -> 32x32 with `pad(2)`, as LeCun et
 * al. 1998 feed MNIST to LeNet-5 (the digits stay centred in the larger field).
 */
export function pad(pixels: number): BatchTransform {
  if (!Number.isInteger(pixels) || pixels < 0)
    throw new Error(`pad: pixels must be a non-negative integer, got ${pixels}`);
  return (batch) => {
    const x = tf.pad(batch.x as tf.Tensor4D, [
      [0, 0],
      [pixels, pixels],
      [pixels, pixels],
      [0, 0],
    ]);
    batch.x.dispose();
    return { ...batch, x };
  };
}

/** Replicates a single grey channel into three (R = G = B), for models that expect RGB. */
export function greyToRgb(): BatchTransform {
  return (batch) => {
    const channels = batch.x.shape[3];
    if (channels !== 1) throw new Error(`greyToRgb: expected 1 channel, got ${channels}`);
    const x = tf.tile(batch.x, [1, 1, 1, 3]);
    batch.x.dispose();
    return { ...batch, x };
  };
}

/**
 * Replaces int32 class labels with one-hot float rows of length numClasses.
 * Labels [0, 2] with `oneHot(3)` become [[1, 0, 0], [0, 0, 1]].
 */
export function oneHot(numClasses: number): BatchTransform {
  return (batch) => {
    const y = tf.tidy(() =>
      tf.cast(tf.oneHot(tf.cast(batch.y, 'int32') as tf.Tensor1D, numClasses), 'float32'),
    );
    batch.y.dispose();
    return { ...batch, y };
  };
}

/**
 * Applies transforms in order, each with its own generator forked from the batch's.
 * `compose(randomCrop({ size: 32, padding: 4 }), randomFlip())` is the CIFAR-10 training
 * augmentation.
 */
export function compose(...transforms: BatchTransform[]): BatchTransform {
  return (batch, rng) => transforms.reduce((b, t, i) => t(b, rng.fork(`t${i}`)), batch);
}
