import type { Dataset } from '../data/dataset.js';
import type { Module } from '../module/module.js';
import { evaluate } from './evaluate.js';
import type { LossFn } from './loss.js';
import type { Metric } from './metrics.js';

/**
 * When fit evaluates besides the end of each epoch: after every `samples` training examples
 * (mid-epoch included), i.e. when a batch carries the count across a multiple of it.
 * 20,000 with batches of 64: after the batch that reaches 20,032, then 40,000, ...
 */
export function crossesInterval(
  samplesBefore: number,
  samplesAfter: number,
  every: number,
): boolean {
  return Math.floor(samplesAfter / every) > Math.floor(samplesBefore / every);
}

/**
 * Loss and metrics of `model` on each named split, keyed with the split's prefix:
 * [['train', subset], ['val', validation]] gives trainLoss, trainAccuracy, valLoss,
 * valAccuracy. Absent or empty splits are skipped. `metrics` gives fresh metric instances per
 * split (or the same ones, reset by evaluate).
 */
export async function evaluateSplits(
  model: Module,
  splits: ReadonlyArray<readonly [string, Dataset | undefined]>,
  options: { loss: LossFn; batchSize: number; metrics: () => Metric[] },
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [prefix, data] of splits) {
    if (!data || data.size === 0) continue;
    const result = await evaluate(model, data, {
      loss: options.loss,
      batchSize: options.batchSize,
      metrics: options.metrics(),
    });
    for (const [k, v] of Object.entries(result)) out[`${prefix}${capitalise(k)}`] = v;
  }
  return out;
}

/** 'loss' -> 'Loss': the metric name after a split prefix. */
export function capitalise(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
