/**
 * The classic coursework sweep on the real Fashion-MNIST: five models of increasing capacity,
 * three (epochs, learning rate) settings each, evaluated every 20,000 training samples on 20%
 * of the training set and on the validation set. 15 trials, run as worker processes.
 *
 *   tunelab sweep examples/coursework-sweep.ts                               # full size
 *   tunelab sweep examples/coursework-sweep.ts --epochs 1 --train-limit 2000  # a quick look
 *
 * The best trial is chosen by validation accuracy; then, and only then, evaluate it on test:
 *   tunelab eval runs/sweep-coursework-<digest>/<trial> --split test
 */
import { defineExperiment } from 'tunelab';

export default defineExperiment({
  name: 'coursework',
  seed: 42,
  data: { dataset: 'fashion-mnist', split: [0.8, 0.1, 0.1] },
  model: { name: 'linear' },
  optimizer: { name: 'momentum', lr: 0.05, momentum: 0.9 },
  epochs: 2,
  batchSize: 64,
  evaluation: { everySamples: 20_000, trainFraction: 0.2 },
  sweep: {
    axes: {
      // Columns of the curve grid: capacity grows left to right.
      model: [
        { model: { name: 'linear' }, label: 'linear' },
        { model: { name: 'mlp2' }, label: 'mlp 32-32' },
        { model: { name: 'mlp', hidden: [256, 128] }, label: 'mlp 256-128' },
        { model: { name: 'cnn4' }, label: 'cnn 2 conv' },
        { model: { name: 'm2cnn' }, label: 'cnn 3 conv' },
      ],
      // Rows: three (epochs, learning rate) settings.
      setting: [
        { epochs: 2, 'optimizer.lr': 0.05, label: '2 epochs, lr 0.05' },
        { epochs: 4, 'optimizer.lr': 0.02, label: '4 epochs, lr 0.02' },
        { epochs: 6, 'optimizer.lr': 0.005, label: '6 epochs, lr 0.005' },
      ],
    },
    metric: 'valAccuracy',
  },
});
