/**
 * Early-stopping analysis: where would each criterion have stopped a finished run?
 * (USECASES section 3, "Optimisation", and section 5 for the plot.)
 *
 * Prechelt's criteria (1998, "Early Stopping - But When?") read the validation error E_va(t)
 * after each epoch t and its lowest value so far E_opt(t):
 *   GL(t) = 100 (E_va(t) / E_opt(t) - 1)       generalization loss, in percent; GL_alpha stops once GL > alpha
 *   PQ_alpha = GL(t) / P_k(t) > alpha           P_k: training progress over a strip of k epochs
 *   UP_s: the error rose at the end of s successive strips
 * and patience n stops n epochs after the best one. Part 1 replays a five-epoch run by hand;
 * part 2 trains an MLP on too few images until it overfits and marks every stop on the
 * curves (examples/output/early-stopping/). In a live run, `stopWhen` and `earlyStopping`
 * (with the best weights restored) apply the same criteria.
 *
 *   node --import jiti/register examples/early-stopping.ts          # 500 images, 20 epochs
 *   node --import jiti/register examples/early-stopping.ts --full   # 2,000 images, 60 epochs
 */
import { fit, Rng, softmaxCrossEntropy } from '@tunelab/core';
import { mlp } from '@tunelab/layers';
import { adam, analyzeStopping, type StoppingCriteria, stoppingPoints } from '@tunelab/optimizers';
import { earlyStoppingSpec } from '@tunelab/reports';
import { useBackend } from './lib/backend.js';
import { logger, type RunOptions, runWhenMain } from './lib/cli.js';
import { fashionSplit } from './lib/fashion.js';
import { outputDir, writeChart } from './lib/output.js';

export async function run(options: RunOptions) {
  const log = logger(options);

  // Part 1. Validation errors 1, 0.8, 0.7, 0.75, 0.9: the best is epoch 3 (0.7).
  //   GL(4) = 100 (0.75 / 0.7 - 1) = 7.14 > 5, so GL_5 stops after epoch 4.
  //   Patience 2: epochs 4 and 5 do not improve on epoch 3; 5 - 3 = 2 stops after epoch 5.
  //   UP_2 with strips of 1 epoch: the error rose at epoch 4 and again at 5: stops after 5.
  const errors = [1, 0.8, 0.7, 0.75, 0.9];
  const gl4 = 100 * (0.75 / 0.7 - 1);
  const byHand = stoppingPoints(errors, { gl: 5, patience: 2, up: { s: 2, k: 1 } });
  log(`errors ${errors.join(', ')}: GL(4) = ${gl4.toFixed(2)}; stops ${JSON.stringify(byHand)}`);

  // Part 2. A real run that overfits: a wide MLP, few training images, many epochs.
  await useBackend('fast');
  const data = fashionSplit({
    limit: options.reduced ? { train: 500, eval: 500 } : { train: 2_000, eval: 2_000 },
  });
  const epochs = options.reduced ? 20 : 60;
  const model = mlp({ inputShape: [28, 28, 1], hidden: [256], classes: 10, seed: 3 });
  const history = await fit(model, {
    train: data.train,
    validation: data.validation,
    loss: softmaxCrossEntropy,
    optimizer: adam({ lr: 1e-3 }),
    epochs,
    batchSize: 32,
    rng: Rng.fromSeed(4),
  });
  model.dispose();
  const validation = history.epochs.map((e) => e.metrics.valLoss!);
  const training = history.epochs.map((e) => e.metrics.trainLoss!);
  const criteria: StoppingCriteria = {
    gl: 5,
    pq: { alpha: 0.5, k: 5 },
    up: { s: 2, k: 5 },
    patience: 5,
  };
  const analysis = analyzeStopping({ validation, training }, criteria);
  log(`validation loss per epoch: ${validation.map((v) => v.toFixed(3)).join(' ')}`);
  log(
    `best epoch ${analysis.bestEpoch} (${analysis.bestValidationError.toFixed(3)}), overfitting from epoch ${analysis.overfittingEpoch}`,
  );
  for (const stop of Object.values(analysis.stops)) {
    log(
      `  ${stop.criterion}: ${stop.epoch === null ? 'never stops' : `stops after epoch ${stop.epoch} (${stop.reason})`}`,
    );
  }
  const stops = Object.fromEntries(
    Object.values(analysis.stops).map((s) => [s.criterion, s.epoch]),
  );
  const chart = await writeChart(
    outputDir('early-stopping'),
    'stops',
    earlyStoppingSpec({
      validation,
      training,
      stops,
      bestEpoch: analysis.bestEpoch,
      errorName: 'cross-entropy loss',
      title: `MLP on ${data.train.size} Fashion-MNIST images`,
    }),
  );
  log(`chart: ${chart.png}`);

  return { gl4, byHand, epochs: validation.length, validation, training, analysis, chart };
}

runWhenMain(import.meta.url, run);
