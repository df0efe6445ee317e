/**
 * Data splitting arithmetic (USECASES section 1, "Data").
 *
 * The numbers a coursework sheet asks for, computed by the same functions training uses:
 * an 80/10/10 re-split of CIFAR-10's 60,000 and Fashion-MNIST's 70,000 examples, iterations
 * per epoch at batch 32 (and the rule for the last partial batch), k-fold and leave-one-out
 * folds, and the fingerprint that tells two machines they split the same way.
 *
 *   node --import jiti/register examples/data-splitting.ts          # reduced: arithmetic only
 *   node --import jiti/register examples/data-splitting.ts --full   # also splits the real Fashion-MNIST
 */
import { batchIndices, iterationsPerEpoch } from '@tunelab/core';
import { kFold, leaveOneOut, splitByRatios } from '@tunelab/datasets';
import { logger, type RunOptions, runWhenMain } from './lib/cli.js';
import { fashionSplit } from './lib/fashion.js';

export async function run(options: RunOptions) {
  const log = logger(options);

  // 1. Ratios to sizes: a seeded shuffle of 0..n-1 cut at round(n * 0.8) and round(n * 0.9).
  const cifar = splitByRatios(60_000, { seed: 42, ratios: [0.8, 0.1, 0.1] });
  const fashion = splitByRatios(70_000, { seed: 42, ratios: [0.8, 0.1, 0.1] });
  log(`CIFAR-10, 60,000 -> ${cifar.sizes.join(' / ')}`); // 48000 / 6000 / 6000
  log(`Fashion-MNIST, 70,000 -> ${fashion.sizes.join(' / ')}`); // 56000 / 7000 / 7000

  // 2. The same seed gives the same split on every machine; the fingerprint (a digest of the
  // index order) is the thing to compare. Another seed gives another order, same sizes.
  const again = splitByRatios(70_000, { seed: 42, ratios: [0.8, 0.1, 0.1] });
  const otherSeed = splitByRatios(70_000, { seed: 7, ratios: [0.8, 0.1, 0.1] });
  log(
    `fingerprint seed 42: ${fashion.fingerprint}, again: ${again.fingerprint}, seed 7: ${otherSeed.fingerprint}`,
  );

  // 3. Iterations: ceil(examples / batch size). 48,000 / 32 = 1,500 exactly, so 30 epochs are
  // 45,000 updates. 50,000 / 32 = 1,562.5: the last partial batch of 16 is kept by default
  // (1,563 iterations, every example seen once per epoch) or dropped (1,562).
  const perEpoch = iterationsPerEpoch(48_000, 32);
  const thirtyEpochs = 30 * perEpoch;
  const keptLast = iterationsPerEpoch(50_000, 32);
  const droppedLast = iterationsPerEpoch(50_000, 32, { dropLast: true });
  const batches = [...batchIndices(50_000, 32)];
  const lastBatch = batches.at(-1)!.length;
  log(`48,000 at batch 32: ${perEpoch} iterations per epoch, ${thirtyEpochs} in 30 epochs`);
  log(
    `50,000 at batch 32: ${keptLast} (last batch of ${lastBatch} kept) or ${droppedLast} (dropped)`,
  );

  // 4. Cross-validation: k folds whose sizes differ by at most one (10 into 3: 4, 3, 3), and
  // leave-one-out (n folds, each validating on one example and training on the other n - 1).
  const folds = kFold(10, 3, { seed: 1 });
  const foldSizes = folds.map((f) => f.validation.length);
  const loo = leaveOneOut(5);
  log(
    `3-fold of 10: validation sizes ${foldSizes.join(', ')}; leave-one-out of 5: ${loo.length} folds of ${loo[0]!.train.length} + 1`,
  );

  // 5. A stratified split cuts every class the same way: 10 classes of 100 -> 80/10/10 each.
  const labels = Array.from({ length: 1000 }, (_, i) => i % 10);
  const stratified = splitByRatios(1000, { seed: 3, ratios: [0.8, 0.1, 0.1], stratifyBy: labels });
  const trainPerClass = countPerClass(stratified.parts[0]!, labels);
  log(`stratified 1,000 (100 per class): train has ${trainPerClass.join(', ')} per class`);

  // Full size: the real Fashion-MNIST, merged and split with the same call (56,000 / 7,000 /
  // 7,000); class counts per part show how close a plain random split stays to 10% each.
  let real: { sizes: number[]; fingerprint: string; trainClassCounts: number[] } | null = null;
  if (!options.reduced) {
    const data = fashionSplit();
    real = {
      sizes: [data.train.size, data.validation.size, data.test.size],
      fingerprint: data.split.fingerprint,
      trainClassCounts: data.train.classCounts(),
    };
    log(
      `real Fashion-MNIST from ${data.location}: ${real.sizes.join(' / ')}, fingerprint ${real.fingerprint}`,
    );
    log(`training images per class: ${real.trainClassCounts.join(', ')}`);
  }

  return {
    cifarSizes: cifar.sizes,
    fashionSizes: fashion.sizes,
    sameSeedSameFingerprint: fashion.fingerprint === again.fingerprint,
    otherSeedOtherFingerprint: fashion.fingerprint !== otherSeed.fingerprint,
    fingerprint: fashion.fingerprint,
    perEpoch,
    thirtyEpochs,
    keptLast,
    droppedLast,
    lastBatch,
    foldSizes,
    looFolds: loo.length,
    looTrainSize: loo[0]!.train.length,
    trainPerClass,
    real,
  };
}

function countPerClass(indices: Int32Array, labels: readonly number[]): number[] {
  const counts = new Array<number>(10).fill(0);
  for (const i of indices) counts[labels[i]!]!++;
  return counts;
}

runWhenMain(import.meta.url, run);
