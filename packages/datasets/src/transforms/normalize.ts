import * as tf from '@tensorflow/tfjs-core';
import type { ArrayDataset, BatchTransform } from '@tunelab/core';

/** Per-channel statistics of a dataset's inputs (after its scale, e.g. in [0, 1]). */
export interface ChannelStats {
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

/**
 * Mean and (population) standard deviation of each channel over every pixel of every
 * example, computed in float64 from the stored uint8 values. Use the training split only.
 */
export function channelStats(dataset: ArrayDataset): ChannelStats {
  const channels = dataset.inputShape[dataset.inputShape.length - 1]!;
  const { x } = dataset.rawExamples();
  const sum = new Float64Array(channels);
  const sumSq = new Float64Array(channels);
  for (let i = 0; i < x.length; i++) {
    const v = x[i]! * dataset.scale;
    sum[i % channels]! += v;
    sumSq[i % channels]! += v * v;
  }
  const count = x.length / channels;
  const mean = Array.from(sum, (s) => s / count);
  const std = Array.from(sumSq, (s, c) => Math.sqrt(Math.max(s / count - mean[c]! ** 2, 0)));
  return { mean, std };
}

/** (x - mean_c) / std_c per channel c. A deterministic transform: apply to every split (mapBatches). */
export function normalize(stats: ChannelStats): BatchTransform {
  if (stats.mean.length !== stats.std.length)
    throw new Error(
      `normalize: ${stats.mean.length} means but ${stats.std.length} standard deviations`,
    );
  stats.std.forEach((s, c) => {
    if (!(s > 0)) throw new Error(`normalize: std of channel ${c} must be positive, got ${s}`);
  });
  return (batch) => {
    const channels = batch.x.shape[batch.x.rank - 1];
    if (channels !== stats.mean.length)
      throw new Error(
        `normalize: statistics for ${stats.mean.length} channels, input has ${channels}`,
      );
    const x = tf.tidy(() =>
      tf.div(tf.sub(batch.x, tf.tensor1d([...stats.mean])), tf.tensor1d([...stats.std])),
    );
    batch.x.dispose();
    return { ...batch, x };
  };
}
