import { iterationsPerEpoch } from '../data/batches.js';
import { crossesInterval } from './evaluation-schedule.js';

/** What {@link evaluationPoints} needs: the training set, the batches and the interval. */
export interface EvaluationPlan {
  /** Training examples per epoch (after any limit). */
  trainSize: number;
  /** Examples per update. */
  batchSize: number;
  /** Epochs trained. */
  epochs: number;
  /** Evaluate every this many training samples (FitOptions.evaluateEvery.samples). */
  everySamples: number;
  /** Drop the last partial batch of each epoch, as fit's option. Default false. */
  dropLast?: boolean;
}

/**
 * The sample counts at which fit's periodic evaluation runs, without training: the same batch
 * sizes and the same crossing rule as fit (a batch that carries the count across a multiple of
 * `everySamples`). A 5-epoch run on 56,000 images at batch 100,
 * evaluated every 20,000 samples, has 14 points: 20,000, 40,000, ..., 280,000
 * (`evaluationPoints({ trainSize: 56_000, batchSize: 100, epochs: 5, everySamples: 20_000 }).length`).
 */
export function evaluationPoints(plan: EvaluationPlan): number[] {
  const { trainSize, batchSize, epochs, everySamples } = plan;
  if (!(everySamples > 0))
    throw new Error(`evaluationPoints: everySamples must be positive, got ${everySamples}`);
  const batches = iterationsPerEpoch(trainSize, batchSize, { dropLast: plan.dropLast ?? false });
  // The last batch of an epoch holds the remainder (unless dropped).
  const sizes = Array.from({ length: batches }, (_, b) =>
    Math.min(batchSize, trainSize - b * batchSize),
  );
  const points: number[] = [];
  let samples = 0;
  for (let epoch = 0; epoch < epochs; epoch++)
    for (const size of sizes) {
      samples += size;
      if (crossesInterval(samples - size, samples, everySamples)) points.push(samples);
    }
  return points;
}
