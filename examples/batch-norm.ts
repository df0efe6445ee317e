/**
 * Batch normalisation forward in training and evaluation mode (USECASES section 2).
 *
 * In training mode BatchNorm normalises with the batch's own mean and (biased) variance,
 *   y = gamma (x - mean_batch) / sqrt(var_batch + eps) + beta,
 * and updates its running statistics, PyTorch's convention with momentum m = 0.1:
 *   running_mean <- (1 - m) running_mean + m mean_batch
 *   running_var  <- (1 - m) running_var  + m var_batch * n / (n - 1)   (unbiased)
 * In evaluation mode it uses the running statistics instead, so one example's output no
 * longer depends on the rest of the batch. Everything below is small enough to check by hand.
 *
 *   node --import jiti/register examples/batch-norm.ts          # one batch by hand, then 100 batches
 *   node --import jiti/register examples/batch-norm.ts --full   # 5,000 batches
 */
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@tunelab/core';
import { BatchNorm } from '@tunelab/layers';
import { useBackend } from './lib/backend.js';
import { logger, type RunOptions, runWhenMain } from './lib/cli.js';

const round = (values: ArrayLike<number>, digits = 4) =>
  Array.from(values, (v) => Number(v.toFixed(digits)));

export async function run(options: RunOptions) {
  const log = logger(options);
  await useBackend('exact');
  const bn = new BatchNorm({ channels: 2 }); // gamma 1, beta 0, running mean 0, running var 1

  // A batch of 4 examples with 2 features. Feature 0: 1, 3, 5, 7 (mean 4, biased variance
  // (9 + 1 + 1 + 9) / 4 = 5, unbiased 20 / 3); feature 1: 2, 2, 2, 6 (mean 3, variance 3,
  // unbiased 4).
  const batch = tf.tensor2d([
    [1, 2],
    [3, 2],
    [5, 2],
    [7, 6],
  ]);

  // Training mode: (1 - 4) / sqrt(5 + 1e-5) = -1.3416 for the first value.
  bn.train();
  const trainOut = tf.tidy(() => bn.forward(batch)).arraySync() as number[][];
  const runningMean = round(bn.runningMean.dataSync());
  const runningVar = round(bn.runningVar.dataSync());
  log(`train mode, feature 0: ${round(trainOut.map((r) => r[0]!)).join(', ')}`);
  // running mean = 0.9 * 0 + 0.1 * [4, 3] = [0.4, 0.3];
  // running var  = 0.9 * 1 + 0.1 * [20/3, 4] = [1.5667, 1.3].
  log(`running mean ${runningMean.join(', ')}, running var ${runningVar.join(', ')}`);

  // Evaluation mode: the running statistics. (1 - 0.4) / sqrt(1.5667 + 1e-5) = 0.4794.
  bn.eval();
  const evalOut = tf.tidy(() => bn.forward(batch)).arraySync() as number[][];
  log(`eval mode, feature 0: ${round(evalOut.map((r) => r[0]!)).join(', ')}`);

  // In eval mode an example alone gets the same output as inside the batch; in train mode
  // it depends on its batch mates.
  const alone = tf.tidy(() => bn.forward(tf.tensor2d([[1, 2]]))).dataSync();
  const evalAloneSame = Math.abs(alone[0]! - evalOut[0]![0]!) < 1e-6;

  // Many training batches from N(mean 5, std 2) per feature: the running statistics
  // approach the data's (5 and 4) at rate (1 - m)^steps.
  const fresh = new BatchNorm({ channels: 2 });
  fresh.train();
  const rng = Rng.fromSeed(1);
  const steps = options.reduced ? 100 : 5_000;
  for (let s = 0; s < steps; s++) {
    tf.tidy(() => fresh.forward(tf.tensor2d(rng.normalArray(64 * 2, 5, 2), [64, 2])));
  }
  const learnedMean = round(fresh.runningMean.dataSync(), 3);
  const learnedVar = round(fresh.runningVar.dataSync(), 3);
  log(
    `after ${steps} batches of N(5, 2^2): running mean ${learnedMean.join(', ')}, running var ${learnedVar.join(', ')}`,
  );
  batch.dispose();
  bn.dispose();
  fresh.dispose();

  return {
    trainOut,
    runningMean,
    runningVar,
    evalOut,
    evalAloneSame,
    steps,
    learnedMean,
    learnedVar,
  };
}

runWhenMain(import.meta.url, run);
