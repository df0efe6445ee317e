/**
 * A new dataset, Fashion-MNIST, with tuning (USECASES sections 1 and 4).
 *
 * Fashion-MNIST is a drop-in for MNIST: 70,000 greyscale 28x28 images in 10 classes, of
 * clothes instead of digits, and harder. Moving a workflow to it is one name
 * (`loadDataset('fashion-mnist')`); what changes is what a person should look at first (the
 * classes, their balance, the pixel statistics) and that the settings tuned on MNIST need
 * tuning again. Here: inspect the data, normalise with statistics of the training part only,
 * then a seeded random search over learning rate (log-uniform) and hidden width, scored on
 * validation.
 *
 *   node --import jiti/register examples/fashion-mnist-tuning.ts          # 3 trials, 1,000 images, 1 epoch
 *   node --import jiti/register examples/fashion-mnist-tuning.ts --full   # 8 trials, 56,000 images, 5 epochs
 */
import { fit, mapBatches, Rng, softmaxCrossEntropy } from '@tunelab/core';
import { channelStats, normalize } from '@tunelab/datasets';
import { loadDataset } from '@tunelab/datasets/node';
import { mlp } from '@tunelab/layers';
import { adam } from '@tunelab/optimizers';
import { useBackend } from './lib/backend.js';
import { logger, type RunOptions, runWhenMain } from './lib/cli.js';
import { fashionSplit } from './lib/fashion.js';

export async function run(options: RunOptions) {
  const log = logger(options);
  await useBackend('fast');

  // 1. Look at the data as shipped: the official parts, the classes and their balance.
  const path = process.env.FASHION_MNIST_DIR;
  const fashion = loadDataset('fashion-mnist', path ? { path } : {});
  const official = fashion.parts.train!;
  const officialTest = fashion.parts.test!;
  const perClass = official.classCounts();
  const perClassTest = officialTest.classCounts();
  log(`read from ${fashion.location} (${fashion.source})`);
  log(
    `official train ${official.size}, test ${officialTest.size}, images ${official.inputShape.join('x')}`,
  );
  log(`classes: ${fashion.classes.join(', ')}`);
  log(
    `per class: ${perClass[0]} train, ${perClassTest[0]} test (balanced: ${perClass.every((c) => c === perClass[0])})`,
  );

  // Pixel statistics of the official training images in [0, 1]; often quoted as 0.2860 and
  // 0.3530. Normalise every split with the statistics of the training part only.
  const official01 = channelStats(official);
  log(
    `official training pixels: mean ${official01.mean[0]!.toFixed(4)}, std ${official01.std[0]!.toFixed(4)}`,
  );

  // 2. Our split (80/10/10 of all 70,000) and its normalisation.
  const data = fashionSplit({ limit: options.reduced ? { train: 1_000, eval: 500 } : undefined });
  const stats = channelStats(data.train);
  const [train, validation] = [data.train, data.validation].map((d) =>
    mapBatches(d, normalize(stats)),
  );

  // 3. Random search, seeded: lr = 10^u with u uniform in [-4, -2], hidden width from a list.
  const trialsCount = options.reduced ? 3 : 8;
  const epochs = options.reduced ? 1 : 5;
  const search = Rng.fromSeed(7);
  const trials: { lr: number; hidden: number; valAccuracy: number }[] = [];
  for (let t = 0; t < trialsCount; t++) {
    const lr = 10 ** search.uniform(-4, -2);
    const hidden = [64, 128, 256][search.int(3)]!;
    const model = mlp({ inputShape: [28, 28, 1], hidden: [hidden], classes: 10, seed: t });
    const history = await fit(model, {
      train: train!,
      validation: validation!,
      loss: softmaxCrossEntropy,
      optimizer: adam({ lr }),
      epochs,
      batchSize: 64,
      rng: Rng.fromSeed(100 + t),
    });
    const valAccuracy = Math.max(...history.epochs.map((e) => e.metrics.valAccuracy!));
    trials.push({ lr, hidden, valAccuracy });
    log(
      `trial ${t + 1}: lr ${lr.toExponential(2)}, hidden ${hidden}: best validation accuracy ${valAccuracy.toFixed(3)}`,
    );
    model.dispose();
  }
  const best = trials.reduce((a, b) => (b.valAccuracy > a.valAccuracy ? b : a));
  log(
    `best: lr ${best.lr.toExponential(2)}, hidden ${best.hidden} (${best.valAccuracy.toFixed(3)}); the test part stays unread`,
  );

  return {
    officialSizes: [official.size, officialTest.size],
    classes: fashion.classes,
    perClass,
    perClassTest,
    pixelMean: official01.mean[0]!,
    pixelStd: official01.std[0]!,
    trials,
    best,
  };
}

runWhenMain(import.meta.url, run);
