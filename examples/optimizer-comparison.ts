/**
 * Comparing optimisers on one model: SGD, momentum, Nesterov and Adam with tuned betas
 * (USECASES sections 3 and 4).
 *
 * Part 1 takes two steps of each on f(w) = w^2 / 2 (gradient w) from w = 1 with lr = 0.1, so
 * every number can be checked on paper. Part 2 trains the same MLP (same initial weights,
 * same batches) with each of them on Fashion-MNIST; Adam's betas are tuned on a small grid
 * by validation accuracy. The curves go to examples/output/optimizer-comparison/.
 *
 *   node --import jiti/register examples/optimizer-comparison.ts          # 2 epochs of 1,024 images
 *   node --import jiti/register examples/optimizer-comparison.ts --full   # 10 epochs of 56,000
 */
import * as tf from '@tensorflow/tfjs-core';
import { fit, type Optimizer, Parameter, Rng, softmaxCrossEntropy } from '@tunelab/core';
import { mlp } from '@tunelab/layers';
import { adam, momentum, nesterov, sgd } from '@tunelab/optimizers';
import { type GridTrial, sweepGridSpec } from '@tunelab/reports';
import { useBackend } from './lib/backend.js';
import { logger, type RunOptions, runWhenMain } from './lib/cli.js';
import { fashionSplit } from './lib/fashion.js';
import { collectMetrics } from './lib/metrics.js';
import { outputDir, writeChart } from './lib/output.js';

/** Two steps on f(w) = w^2 / 2 from w = 1: the weights after each. */
function twoSteps(optimizer: Optimizer): number[] {
  const w = new Parameter(tf.scalar(1));
  const after: number[] = [];
  for (let step = 0; step < 2; step++) {
    const gradient = tf.clone(w.variable); // d(w^2 / 2)/dw = w
    optimizer.applyGradients([[w, gradient]]);
    gradient.dispose();
    after.push(w.variable.dataSync()[0]!);
  }
  w.variable.dispose();
  optimizer.dispose();
  return after;
}

export async function run(options: RunOptions) {
  const log = logger(options);
  await useBackend('fast');

  // Part 1, on paper (lr = 0.1, mu = 0.9):
  //   SGD       w <- w - lr g:                   1 -> 0.9 -> 0.81
  //   momentum  v <- mu v + g, w <- w - lr v:    v = 1, w = 0.9; v = 0.9 + 0.9 = 1.8, w = 0.72
  //   Nesterov  w <- w - lr (g + mu v):          v = 1, w = 1 - 0.1 * 1.9 = 0.81;
  //             g = 0.81, v = 1.71, w = 0.81 - 0.1 (0.81 + 1.539) = 0.5751
  //   Adam      step 1: m_hat / sqrt(v_hat) = g / |g| = 1, so w = 0.9 whatever the betas;
  //             step 2 (beta1 0.9, beta2 0.999): m = 0.18, v = 0.001809, m_hat = 0.18 / 0.19,
  //             v_hat = 0.001809 / 0.001999, w = 0.9 - 0.1 * 0.94737 / 0.95129 = 0.80041
  const byHand = {
    sgd: twoSteps(sgd({ lr: 0.1 })),
    momentum: twoSteps(momentum({ lr: 0.1, momentum: 0.9 })),
    nesterov: twoSteps(nesterov({ lr: 0.1, momentum: 0.9 })),
    adam: twoSteps(adam({ lr: 0.1 })),
  };
  for (const [name, w] of Object.entries(byHand)) {
    log(`${name.padEnd(8)} w after 1 and 2 steps: ${w.map((v) => v.toFixed(5)).join(', ')}`);
  }

  // Part 2: one model, one batch order, four optimisers (Adam over a grid of betas).
  const data = fashionSplit({ limit: options.reduced ? { train: 1_024, eval: 500 } : undefined });
  const epochs = options.reduced ? 2 : 10;
  const adamGrid = [
    { beta1: 0.9, beta2: 0.999 },
    { beta1: 0.8, beta2: 0.999 },
    { beta1: 0.9, beta2: 0.99 },
    { beta1: 0.8, beta2: 0.99 },
  ];
  const candidates: Array<{ name: string; make: () => Optimizer }> = [
    { name: 'sgd', make: () => sgd({ lr: 0.05 }) },
    { name: 'momentum', make: () => momentum({ lr: 0.01, momentum: 0.9 }) },
    { name: 'nesterov', make: () => nesterov({ lr: 0.01, momentum: 0.9 }) },
    ...adamGrid.map((b) => ({
      name: `adam b1=${b.beta1} b2=${b.beta2}`,
      make: () => adam({ lr: 1e-3, ...b }),
    })),
  ];
  const results: Array<{ name: string; firstLoss: number; valAccuracy: number; trial: GridTrial }> =
    [];
  for (const candidate of candidates) {
    const model = mlp({ inputShape: [28, 28, 1], hidden: [128], classes: 10, seed: 1 });
    const metrics = collectMetrics();
    let firstLoss = Number.NaN;
    await fit(model, {
      train: data.train,
      validation: data.validation,
      loss: softmaxCrossEntropy,
      optimizer: candidate.make(),
      epochs,
      batchSize: 32,
      rng: Rng.fromSeed(2),
      logEvery: 1,
      evaluateEvery: { samples: Math.floor(data.train.size / 4), train: data.train.take(500) },
      callbacks: [
        metrics.callback,
        {
          onBatchEnd(logs) {
            if (logs.step === 1) firstLoss = logs.metrics.loss!;
          },
        },
      ],
    });
    const valAccuracy = metrics.entries.filter((e) => e.kind === 'epoch').at(-1)!.metrics
      .valAccuracy!;
    results.push({
      name: candidate.name,
      firstLoss,
      valAccuracy,
      trial: { column: candidate.name, row: `${epochs} epochs`, metrics: metrics.entries },
    });
    log(
      `${candidate.name.padEnd(22)} first batch loss ${firstLoss.toFixed(4)}, final validation accuracy ${valAccuracy.toFixed(3)}`,
    );
    model.dispose();
  }

  // Adam's betas tuned on validation; the chart shows the three others and the tuned Adam.
  const adams = results.filter((r) => r.name.startsWith('adam'));
  const tunedAdam = adams.reduce((a, b) => (b.valAccuracy > a.valAccuracy ? b : a));
  const shown = [...results.filter((r) => !r.name.startsWith('adam')), tunedAdam];
  log(`tuned Adam: ${tunedAdam.name}`);
  const chart = await writeChart(
    outputDir('optimizer-comparison'),
    'curves',
    sweepGridSpec(
      shown.map((r) => r.trial),
      { title: 'One MLP, four optimisers', metric: 'loss', columnTitle: 'optimiser', rowTitle: '' },
    ),
  );
  log(`curves: ${chart.png}`);

  return {
    byHand,
    results: results.map(({ trial: _, ...r }) => r),
    tunedAdam: tunedAdam.name,
    chart,
  };
}

runWhenMain(import.meta.url, run);
