import * as tf from '@tensorflow/tfjs-core';
import { batchIndices } from '../data/batches.js';
import type { Dataset } from '../data/dataset.js';
import type { Module } from '../module/module.js';
import type { LossFn } from './loss.js';
import { accuracy, confusionMatrix, type Metric, RunningMean } from './metrics.js';

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  /** The loss to report, e.g. softmaxCrossEntropy. */
  loss: LossFn;
  /** Examples per forward pass (memory, not results). Default 1000. */
  batchSize?: number;
  /** Metrics besides the loss. Default [accuracy()]. */
  metrics?: Metric[];
}

/**
 * Loss and metrics of `model` over all of `dataset`, in evaluation mode (dropout off,
 * running batch-norm statistics), without gradients. Reads the backend once at the end.
 * Returns `{ loss, accuracy, ... }` keyed by metric name.
 */
export async function evaluate(
  model: Module,
  dataset: Dataset,
  options: EvaluateOptions,
): Promise<Record<string, number>> {
  if (dataset.size === 0) throw new Error('evaluate: the dataset is empty');
  const metrics = options.metrics ?? [accuracy()];
  const lossMean = new RunningMean();
  const wasTraining = model.training;
  model.eval();
  try {
    for (const m of metrics) m.reset();
    for (const indices of batchIndices(dataset.size, options.batchSize ?? 1000)) {
      const batch = dataset.batch(indices);
      tf.tidy(() => {
        const outputs = model.forward(batch.x);
        const loss = options.loss(outputs, batch.y);
        lossMean.add(loss, batch.size);
        for (const m of metrics) m.update(outputs, batch.y);
      });
      batch.x.dispose();
      batch.y.dispose();
    }
    const result: Record<string, number> = { loss: await lossMean.read() };
    for (const m of metrics) result[m.name] = await m.read();
    return result;
  } finally {
    lossMean.reset();
    for (const m of metrics) m.reset();
    model.train(wasTraining);
  }
}

/**
 * Confusion matrix of `model` on `dataset` in evaluation mode: entry [i][j] counts examples of
 * true class i predicted as j. Accumulated on the backend, read once.
 * `(await confusionOf(model, test))[3][6]`: test images of class 3 the model calls class 6.
 */
export async function confusionOf(
  model: Module,
  dataset: Dataset,
  options: { batchSize?: number } = {},
): Promise<number[][]> {
  const cm = confusionMatrix(dataset.numClasses);
  const wasTraining = model.training;
  model.eval();
  try {
    for (const indices of batchIndices(dataset.size, options.batchSize ?? 1000)) {
      const batch = dataset.batch(indices);
      tf.tidy(() => cm.update(model.forward(batch.x), batch.y));
      batch.x.dispose();
      batch.y.dispose();
    }
    return await cm.matrix();
  } finally {
    cm.dispose();
    model.train(wasTraining);
  }
}
