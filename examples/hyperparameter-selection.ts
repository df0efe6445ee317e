/**
 * Choosing hyperparameters on validation data, then testing the chosen model once
 * (USECASES section 4, "Training and evaluation").
 *
 * Three (epochs, learning rate) settings of one MLP train on the training part and are
 * scored after every epoch on the validation part. The best setting is the one with the
 * highest validation accuracy, at the epoch where it peaked (its weights from that epoch are
 * kept). Only then is the test part opened, for that one model: a test accuracy looked at
 * while tuning would be one more thing tuned, and no longer an estimate of new data.
 * `SealedTest` below makes that rule a property of the code. (The CLI does the same across a
 * sweep: `tunelab eval <trial> --split test`.)
 *
 *   node --import jiti/register examples/hyperparameter-selection.ts          # 1,000 training images
 *   node --import jiti/register examples/hyperparameter-selection.ts --full   # 56,000
 */
import { type Dataset, evaluate, fit, type Module, Rng, softmaxCrossEntropy } from '@tunelab/core';
import { mlp } from '@tunelab/layers';
import { earlyStopping, momentum } from '@tunelab/optimizers';
import { useBackend } from './lib/backend.js';
import { logger, type RunOptions, runWhenMain } from './lib/cli.js';
import { fashionSplit } from './lib/fashion.js';

/** The test split behind a seal: one evaluation, of one model, after tuning. */
export class SealedTest {
  #dataset: Dataset;
  #opened = false;
  constructor(dataset: Dataset) {
    this.#dataset = dataset;
  }
  get size(): number {
    return this.#dataset.size;
  }
  async evaluateOnce(model: Module): Promise<Record<string, number>> {
    if (this.#opened) {
      throw new Error(
        'SealedTest: the test split was already evaluated; choose on validation data',
      );
    }
    this.#opened = true;
    return evaluate(model, this.#dataset, { loss: softmaxCrossEntropy });
  }
}

/** One setting of the grid and what validation said about it. */
export interface Trial {
  label: string;
  epochs: number;
  lr: number;
  valAccuracy: number[];
  bestValAccuracy: number;
  bestEpoch: number;
  /** The trained model scored on validation again: it holds its best epoch's weights. */
  restoredValAccuracy: number;
}

export async function run(options: RunOptions) {
  const log = logger(options);
  await useBackend('fast');
  const data = fashionSplit({
    limit: options.reduced ? { train: 1_000, eval: 500 } : undefined,
  });
  const test = new SealedTest(data.test); // nothing below reads it until the choice is made
  log(`train ${data.train.size}, validation ${data.validation.size}, test ${test.size} (sealed)`);

  const settings = options.reduced
    ? [
        { epochs: 1, lr: 0.1 },
        { epochs: 2, lr: 0.05 },
        { epochs: 3, lr: 0.01 },
      ]
    : [
        { epochs: 5, lr: 0.1 },
        { epochs: 10, lr: 0.05 },
        { epochs: 15, lr: 0.01 },
      ];
  const trials: Trial[] = [];
  const models: Module[] = [];
  for (const setting of settings) {
    const model = mlp({ inputShape: [28, 28, 1], hidden: [128], classes: 10, seed: 1 });
    const history = await fit(model, {
      train: data.train,
      validation: data.validation,
      loss: softmaxCrossEntropy,
      optimizer: momentum({ lr: setting.lr, momentum: 0.9 }),
      epochs: setting.epochs,
      batchSize: 32,
      rng: Rng.fromSeed(2),
      // Never stops (patience = all epochs), but puts back the weights of the best epoch.
      callbacks: [
        earlyStopping({
          monitor: 'valAccuracy',
          patience: setting.epochs,
          restoreBestWeights: true,
        }),
      ],
    });
    const valAccuracy = history.epochs.map((e) => e.metrics.valAccuracy!);
    const best = Math.max(...valAccuracy);
    // After fit the model holds the weights of its best epoch, not of its last one, so
    // validation gives the best accuracy again (the test split is still sealed).
    const restored = await evaluate(model, data.validation, { loss: softmaxCrossEntropy });
    const trial = {
      label: `${setting.epochs} epochs, lr ${setting.lr}`,
      ...setting,
      valAccuracy,
      bestValAccuracy: best,
      bestEpoch: valAccuracy.indexOf(best) + 1,
      restoredValAccuracy: restored.accuracy!,
    };
    trials.push(trial);
    models.push(model);
    log(
      `${trial.label}: validation accuracy per epoch ${valAccuracy.map((a) => a.toFixed(3)).join(' ')}, best ${best.toFixed(3)} at epoch ${trial.bestEpoch} (model kept: ${trial.restoredValAccuracy.toFixed(3)})`,
    );
  }

  // The choice uses validation numbers only.
  const chosen = trials.reduce((a, b) => (b.bestValAccuracy > a.bestValAccuracy ? b : a));
  const chosenModel = models[trials.indexOf(chosen)]!;
  log(
    `chosen: ${chosen.label} (validation ${chosen.bestValAccuracy.toFixed(3)} at epoch ${chosen.bestEpoch})`,
  );

  // Now, and only now, the test split: one model, one evaluation.
  const testMetrics = await test.evaluateOnce(chosenModel);
  log(
    `test accuracy of the chosen model: ${testMetrics.accuracy!.toFixed(3)} on ${test.size} images`,
  );
  let secondLook = '';
  try {
    await test.evaluateOnce(models[0]!);
  } catch (error) {
    secondLook = (error as Error).message;
  }
  for (const m of models) m.dispose();

  return {
    sizes: [data.train.size, data.validation.size, test.size],
    trials,
    chosen: chosen.label,
    testAccuracy: testMetrics.accuracy!,
    secondLook,
  };
}

runWhenMain(import.meta.url, run);
