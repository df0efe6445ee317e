/**
 * A model written as code: for what a layer list cannot say, `model` is a function
 * ({ inputShape, classes, rng }) => Module that builds any network of @tunelab/layers (here He
 * initialisation, which the list leaves at its defaults). tunelab train, tunelab sweep's worker
 * processes and the replica threads of --workers all rebuild it from this file: the run
 * records it as { file: '<this file>', export: 'default.model' }.
 *
 *   tunelab train examples/model-builder.ts --epochs 1 --train-limit 3000
 *   tunelab sweep examples/model-builder.ts --epochs 1 --train-limit 3000   # two learning rates
 */
import { Conv2D, Flatten, heNormal, Linear, MaxPool2D, Sequential } from '@tunelab/layers';
import { defineExperiment } from 'tunelab';

export default defineExperiment({
  name: 'model-builder',
  seed: 7,
  data: { dataset: 'fashion-mnist' },
  model: ({ inputShape, classes, rng }) => {
    const [height, width, channels] = inputShape as [number, number, number];
    const conv = (name: string, inputs: number, filters: number) =>
      new Conv2D({
        inputChannels: inputs,
        filters,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelInit: heNormal, // He et al. 2015: the variance ReLU layers keep
        rng: rng.fork(name),
      });
    return new Sequential({
      conv1: conv('conv1', channels, 8),
      pool1: new MaxPool2D({ poolSize: 2 }),
      conv2: conv('conv2', 8, 16),
      pool2: new MaxPool2D({ poolSize: 2 }),
      flatten: new Flatten(),
      fc: new Linear({
        inputs: Math.floor(height / 4) * Math.floor(width / 4) * 16,
        outputs: classes,
        rng: rng.fork('fc'),
      }),
    });
  },
  optimizer: { name: 'adam', lr: 3e-3 },
  epochs: 3,
  batchSize: 32,
  sweep: { grid: { 'optimizer.lr': [1e-3, 3e-3] } },
});
