import * as tf from '@tensorflow/tfjs-core';
import type { BatchTransform } from '@tunelab/core';

/** Options of {@link randomCrop}. */
export interface RandomCropArgs {
  /** Output height and width (a number for square crops), e.g. 32. */
  size: number | readonly [number, number];
  /** Zero padding added on every side before cropping, e.g. 4. Default 0. */
  padding?: number;
}

/**
 * Random crop with zero padding (the CIFAR recipe: pad 4, crop 32x32): each image is padded,
 * then a window of `size` is cut at a uniformly random integer offset in [0, padded - size]
 * per example. One cropAndResize op whose boxes land exactly on pixel centres, so the crop
 * copies pixels (no interpolation). Training-time augmentation: pass it as fit's `augment`.
 */
export function randomCrop(args: RandomCropArgs): BatchTransform {
  const [ch, cw] = typeof args.size === 'number' ? [args.size, args.size] : args.size;
  const pad = args.padding ?? 0;
  if (!Number.isInteger(pad) || pad < 0)
    throw new Error(`randomCrop: padding must be a non-negative integer, got ${pad}`);
  return (batch, rng) => {
    const [n, h, w] = batch.x.shape as [number, number, number, number];
    const hp = h + 2 * pad;
    const wp = w + 2 * pad;
    if (ch > hp || cw > wp)
      throw new Error(`randomCrop: crop ${ch}x${cw} is larger than the padded image ${hp}x${wp}`);
    const boxes = new Float32Array(n * 4);
    for (let i = 0; i < n; i++) {
      const oy = rng.int(hp - ch + 1);
      const ox = rng.int(wp - cw + 1);
      // Normalised corners whose sample points are the pixels oy..oy+ch-1, ox..ox+cw-1.
      boxes.set(
        [
          oy / Math.max(hp - 1, 1),
          ox / Math.max(wp - 1, 1),
          (oy + ch - 1) / Math.max(hp - 1, 1),
          (ox + cw - 1) / Math.max(wp - 1, 1),
        ],
        4 * i,
      );
    }
    const x = tf.tidy(() => {
      const padded =
        pad > 0
          ? tf.pad(batch.x, [
              [0, 0],
              [pad, pad],
              [pad, pad],
              [0, 0],
            ])
          : batch.x;
      return tf.image.cropAndResize(
        padded as tf.Tensor4D,
        tf.tensor2d(boxes, [n, 4]),
        tf.range(0, n, 1, 'int32') as tf.Tensor1D,
        [ch, cw],
        'bilinear',
      );
    });
    batch.x.dispose();
    return { ...batch, x };
  };
}
