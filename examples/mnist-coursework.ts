/**
 * The MNIST coursework, as the assignment writes it: three models, each with its own three
 * (epochs, learning rate) settings, plain SGD at batch 100, and every 20,000 training samples
 * (every 200 updates) the accuracy on 20% of the training set and on the whole held-out set.
 *
 * |                                      | Setting 1           | Setting 2 | Setting 3 |
 * |--------------------------------------|---------------------|-----------|-----------|
 * | Model 1: linear + softmax            | 5 epochs, lr 0.0001 | 5, 0.001  | 15, 0.1   |
 * | Model 2: 1 hidden layer of 32, ReLU  | 15, 0.0001          | 15, 0.005 | 15, 0.1   |
 * | Model 3: 2 hidden layers of 32, ReLU | 5, 0.003            | 40, 0.001 | 40, 0.1   |
 *
 * A "setting" row holds different values per model, so the sweep lists its nine trials
 * (sweep.trials), each placed on the model axis and a setting position with its own values.
 * The curve grid has the models as columns and the settings as rows, each cell titled with its
 * own values; the accuracy table has the models as rows and the settings as columns.
 *
 *   tunelab sweep examples/mnist-coursework.ts                # full size (Fashion-MNIST: 56,000 training images)
 *   MNIST_DIR=~/mnist tunelab sweep examples/mnist-coursework.ts   # on MNIST
 *
 * Data: MNIST when MNIST_DIR names a folder of its IDX files (all of it, or only the 10,000
 * test digits, as CI does) or `tunelab data fetch mnist` put it in the cache; Fashion-MNIST
 * otherwise. Either way the official parts are merged and split 80/10/10 with the seed.
 * The held-out set is the validation split, and the best trial is chosen on it; evaluate only
 * that one on test afterwards (tunelab eval <sweep>/<trial> --split test). The assignment
 * itself evaluates on test during training: examples/mnist-coursework-literal.ts does that,
 * as an explicit, recorded opt-in.
 */
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { locateDataset } from '@tunelab/datasets/node';
import { defineExperiment } from 'tunelab';

/**
 * MNIST_DIR's folder, else MNIST from the cache, else Fashion-MNIST. A folder of only the
 * 10,000 test digits (as CI has) is a deliberately partial MNIST: `allowPartial` says so, and
 * the run records the missing training files.
 */
function courseworkData(): { dataset: string; name: string; allowPartial?: boolean } {
  const dir = process.env.MNIST_DIR;
  if (dir) {
    const testOnly = !readdirSync(dir).some((f) => f.startsWith('train-images'));
    return { dataset: resolve(dir), name: 'mnist', ...(testOnly ? { allowPartial: true } : {}) };
  }
  try {
    locateDataset('mnist');
    return { dataset: 'mnist', name: 'mnist' };
  } catch {
    return { dataset: 'fashion-mnist', name: 'fashion-mnist' };
  }
}

const data = courseworkData();

/** [model, setting, epochs, learning rate]: the assignment's table, cell by cell. */
const table: Array<[string, string, number, number]> = [
  ['Model 1', 'Setting 1', 5, 0.0001],
  ['Model 1', 'Setting 2', 5, 0.001],
  ['Model 1', 'Setting 3', 15, 0.1],
  ['Model 2', 'Setting 1', 15, 0.0001],
  ['Model 2', 'Setting 2', 15, 0.005],
  ['Model 2', 'Setting 3', 15, 0.1],
  ['Model 3', 'Setting 1', 5, 0.003],
  ['Model 3', 'Setting 2', 40, 0.001],
  ['Model 3', 'Setting 3', 40, 0.1],
];

export default defineExperiment({
  name: `coursework-${data.name}`,
  description: 'The MNIST coursework: 3 models x their own 3 (epochs, lr) settings, plain SGD',
  seed: 42,
  data: {
    dataset: data.dataset,
    split: [0.8, 0.1, 0.1],
    ...(data.allowPartial ? { allowPartial: true } : {}),
  },
  model: { name: 'linear' },
  optimizer: { name: 'sgd', lr: 0.001 },
  epochs: 5,
  batchSize: 100,
  // Every 200 updates of 100: accuracy on 20% of the training set and on the held-out set.
  evaluation: { everySamples: 20_000, trainFraction: 0.2 },
  sweep: {
    axes: {
      // Columns of the curve grid, rows of the accuracy table.
      model: [
        { label: 'Model 1', model: { name: 'linear' } },
        { label: 'Model 2', model: { name: 'mlp', hidden: [32], activation: 'relu' } },
        { label: 'Model 3', model: { name: 'mlp', hidden: [32, 32], activation: 'relu' } },
      ],
    },
    // 'setting' is a position only: each trial brings its own epochs and learning rate.
    trials: table.map(([model, setting, epochs, lr]) => ({
      at: { model, setting },
      set: { epochs, 'optimizer.lr': lr },
    })),
    metric: 'valAccuracy',
  },
});
