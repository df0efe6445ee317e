import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import type { Module } from '@tunelab/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { outputShapeOf, summarize } from '../summary/summarize.js';
import { fixedBatch, trainSteps } from '../testing/train-steps.js';
import type { ModelArgs } from './args.js';
import { basecnn, cnn4, linearWorkload, m2cnn, mlp2Workload, sepcnn5 } from './workloads.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const workloads: Array<{
  id: string;
  build: (args?: ModelArgs) => Module;
  params: number;
  layers: string;
  noHead: number[];
}> = [
  // 784*10 + 10
  { id: 'linear', build: linearWorkload, params: 7_850, layers: 'Flatten Linear', noHead: [784] },
  // (784*32 + 32) + (32*32 + 32) + (32*10 + 10) = 25,120 + 1,056 + 330
  {
    id: 'mlp2',
    build: mlp2Workload,
    params: 26_506,
    layers: 'Flatten Linear Linear Linear',
    noHead: [32],
  },
  // conv1 3*3*1*8 + 8 = 80; conv2 3*3*8*8 + 8 = 584; fc1 7*7*8*32 + 32 = 12,576; fc2 330
  {
    id: 'cnn4',
    build: cnn4,
    params: 13_570,
    layers: 'Conv2D MaxPool2D Conv2D MaxPool2D Flatten Linear Linear',
    noHead: [7, 7, 8],
  },
  // sep1 9*1 + 1*8 + 8 = 25; sep2 9*8 + 8*4 + 4 = 108; fc1 14*14*4*32 + 32 = 25,120; fc2 330
  {
    id: 'sepcnn5',
    build: sepcnn5,
    params: 25_583,
    layers: 'SeparableConv2D SeparableConv2D MaxPool2D Flatten Linear Linear',
    noHead: [14, 14, 4],
  },
  // conv1 2*2*1*16 + 16 = 80; conv2 2*2*16*32 + 32 = 2,080; fc1 32*10 + 10 = 330
  {
    id: 'basecnn',
    build: basecnn,
    params: 2_490,
    layers: 'Conv2D MaxPool2D Conv2D GlobalAvgPool Linear',
    noHead: [32],
  },
  // conv1 9*16 + 16 = 160; conv2 9*16*32 + 32 = 4,640; conv3 9*32*64 + 64 = 18,496; fc1 650
  {
    id: 'm2cnn',
    build: m2cnn,
    params: 23_946,
    layers: 'Conv2D MaxPool2D Conv2D MaxPool2D Conv2D GlobalAvgPool Linear',
    noHead: [64],
  },
];

describe('benchmark workloads (shared/BENCHMARKS.md)', () => {
  for (const w of workloads) {
    describe(w.id, () => {
      it(`has the architecture of the table and ${w.params.toLocaleString('en')} parameters`, () => {
        const model = w.build();
        expect(model.parameterCount()).toBe(w.params);
        expect(
          summarize(model, [28, 28, 1])
            .layers.map((l) => l.type)
            .join(' '),
        ).toBe(w.layers);
        model.dispose();
      });

      it('maps [batch, 28, 28, 1] to [batch, 10] and trains: the loss on a fixed batch falls', () => {
        const model = w.build({ seed: 3 });
        const batch = fixedBatch([28, 28, 1], 2, 10);
        const y = tf.tidy(() => model.forward(batch.x));
        expect(y.shape).toEqual([2, 10]);
        const { losses } = trainSteps(model, batch, 3, 0.01);
        expect(losses[3]).toBeLessThan(losses[0]!);
        tf.dispose([y, batch.x, batch.labels]);
        model.dispose();
      });

      it('ends at its features without the head', () => {
        const model = w.build({ head: false });
        expect(outputShapeOf(model, [28, 28, 1])).toEqual(w.noHead);
        model.dispose();
      });
    });
  }

  it('takes other input shapes and class counts (CIFAR: 32x32x3, 100 classes)', () => {
    const model = cnn4({ inputShape: [32, 32, 3], classes: 100 });
    // conv1 3*3*3*8 + 8 = 224; conv2 584; fc1 8*8*8*32 + 32 = 16,416; fc2 32*100 + 100 = 3,300
    expect(model.parameterCount()).toBe(20_524);
    expect(outputShapeOf(model, [32, 32, 3])).toEqual([100]);
    model.dispose();
    expect(() => cnn4({ inputShape: [784] })).toThrow(
      'cnn4: inputShape must be [height, width, channels], got [784]',
    );
  });
});
