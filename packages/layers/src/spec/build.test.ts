import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@tunelab/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { BatchNorm } from '../layers/batch-norm.js';
import { Conv2D } from '../layers/conv2d.js';
import { Dropout } from '../layers/dropout.js';
import { Flatten } from '../layers/flatten.js';
import { Linear } from '../layers/linear.js';
import { MaxPool2D } from '../layers/pooling.js';
import { Sequential } from '../layers/sequential.js';
import { cnn4 } from '../models/workloads.js';
import { summarize } from '../summary/summarize.js';
import { buildLayerList } from './build.js';
import { describeLayerSpec } from './describe.js';
import { type LayerSpec, layerListSchema, layerSpecSchema } from './schema.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The example network of the issue: conv, pool, batch norm, dropout, flatten, dense. */
const issueExample: LayerSpec[] = [
  { conv2d: { filters: 16, kernel: 3, padding: 'same', activation: 'relu' } },
  { maxPool: 2 },
  { batchNorm: {} },
  { dropout: 0.25 },
  { flatten: {} },
  { dense: { units: 10 } },
];

const values = (t: tf.Tensor) => Array.from(t.dataSync());

describe('buildLayerList', () => {
  it('builds exactly the network the library API builds: same parameters, same outputs for the same seed', () => {
    const listed = buildLayerList(issueExample, { inputShape: [28, 28, 1], classes: 10, seed: 7 });
    // The same network by hand: layer i draws its weights from fork(String(i)) of the seed.
    const rng = Rng.fromSeed(7);
    const byHand = new Sequential({
      '0': new Conv2D({
        inputChannels: 1,
        filters: 16,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        rng: rng.fork('0'),
      }),
      '1': new MaxPool2D({ poolSize: 2 }),
      '2': new BatchNorm({ channels: 16 }),
      '3': new Dropout({ rate: 0.25, rng: rng.fork('3') }),
      '4': new Flatten(),
      '5': new Linear({ inputs: 14 * 14 * 16, outputs: 10, rng: rng.fork('5') }),
    });
    // conv 3*3*1*16 + 16 = 160; batch norm gamma and beta 2*16 = 32; dense 3,136*10 + 10 = 31,370
    expect(listed.parameterCount()).toBe(160 + 32 + 31_370);
    expect(byHand.parameterCount()).toBe(listed.parameterCount());
    expect(listed.namedParameters().map(([n]) => n)).toEqual(
      byHand.namedParameters().map(([n]) => n),
    );
    const x = tf.randomUniform([4, 28, 28, 1], 0, 1, 'float32', 3);
    for (const mode of ['eval', 'train'] as const) {
      listed.train(mode === 'train');
      byHand.train(mode === 'train');
      const a = tf.tidy(() => listed.forward(x));
      const b = tf.tidy(() => byHand.forward(x));
      expect(a.shape).toEqual([4, 10]);
      // Bit for bit: the same weights, the same dropout masks.
      expect(values(a)).toEqual(values(b));
      tf.dispose([a, b]);
    }
    x.dispose();
    listed.dispose();
    byHand.dispose();
  });

  it('writes cnn4 as a list with its 13,570 parameters and its summary', () => {
    const conv = { filters: 8, kernel: 3, padding: 'same', activation: 'relu' } as const;
    const model = buildLayerList(
      [
        { conv2d: conv },
        { maxPool: 2 },
        { conv2d: conv },
        { maxPool: 2 },
        { flatten: {} },
        { dense: { units: 32, activation: 'relu' } },
        { dense: 'classes' },
      ],
      { inputShape: [28, 28, 1], classes: 10, init: 'zeros' },
    );
    const zoo = cnn4({ init: 'zeros' });
    expect(model.parameterCount()).toBe(13_570);
    expect(zoo.parameterCount()).toBe(13_570);
    expect(summarize(model, [28, 28, 1]).totals.macs).toBe(summarize(zoo, [28, 28, 1]).totals.macs);
    model.dispose();
    zoo.dispose();
  });

  it('builds every kind of layer, inferring channels from the layer before', () => {
    const model = buildLayerList(
      [
        { conv2d: { filters: 8, kernel: [3, 3], stride: 1, padding: 'same', bias: false } },
        { activation: 'relu' },
        { depthwiseConv2d: { kernel: 3, multiplier: 2, padding: 'same' } },
        { separableConv2d: { filters: 12, kernel: 3, padding: 'same', activation: 'relu' } },
        { basicBlock: { filters: 16, stride: 2 } },
        {
          inception: {
            conv1x1: 4,
            reduce3x3: 4,
            conv3x3: 8,
            reduce5x5: 2,
            conv5x5: 4,
            poolProjection: 4,
          },
        },
        { subsampling: 2 },
        {
          partialConv2d: {
            table: [
              [0, 1],
              [2, 3],
              [4, 5, 6],
            ],
            kernel: 1,
          },
        },
        { avgPool: { size: 2, padding: 'same' } },
        { batchNorm: { momentum: 0.01 } },
        { activation: 'lecunTanh' },
        { globalAvgPool: {} },
        { dropout: { rate: 0.1 } },
        { dense: { units: 'classes', bias: true } },
      ],
      { inputShape: [16, 16, 3], classes: 5, seed: 1 },
    );
    const summary = summarize(model, [16, 16, 3]);
    // 16 -> basicBlock stride 2 -> 8 -> subsampling 2 -> 4 -> avgPool 2 'same' -> 2; 3 channels at the end
    expect(summary.outputShape).toEqual([5]);
    expect(summary.layers.find((l) => l.name === '7')?.outputShape).toEqual([4, 4, 3]);
    expect(summary.layers.find((l) => l.name === '8')?.outputShape).toEqual([2, 2, 3]);
    expect(summary.layers.find((l) => l.name === '2')?.outputShape).toEqual([16, 16, 16]);
    const y = tf.tidy(() => model.forward(tf.zeros([2, 16, 16, 3])));
    expect(y.shape).toEqual([2, 5]);
    y.dispose();
    model.dispose();
  });

  it('skips null entries and keeps every other layer named by its index', () => {
    const model = buildLayerList([{ flatten: {} }, null, { dense: { units: 3 } }], {
      inputShape: [2, 2, 1],
      classes: 3,
    });
    expect(model.namedParameters().map(([n]) => n)).toEqual(['2.weight', '2.bias']);
    model.dispose();
  });

  it('names the entry, the field and the shape that did not fit', () => {
    const start = { conv2d: { filters: 32, kernel: 3, padding: 'same' } } as const;
    const opts = { inputShape: [4, 4, 1], classes: 10, path: 'model.layers' };
    expect(() =>
      buildLayerList(
        [start, { maxPool: 2 }, { maxPool: 2 }, { maxPool: 2 }, { flatten: {} }, { dense: 10 }],
        opts,
      ),
    ).toThrow(/^model\.layers\[3\] maxPool 2: input 1x1x32 is smaller than the 2x2 window$/);
    expect(() =>
      buildLayerList([{ conv2d: { filters: 8, kernel: 5 } }, { flatten: {} }, { dense: 10 }], opts),
    ).toThrow('model.layers[0] conv2d.kernel 5: input 4x4x1 is smaller than the 5x5 window');
    expect(() => buildLayerList([start, { dense: 10 }], opts)).toThrow(
      'model.layers[1] dense 10: input 4x4x32 is not flat: put { flatten: {} } before it',
    );
    expect(() => buildLayerList([{ flatten: {} }, { maxPool: 2 }], opts)).toThrow(
      'model.layers[1] maxPool 2: input 16 is not an image [height, width, channels] (a layer before it flattened the images)',
    );
    expect(() => buildLayerList([{ flatten: {} }, { dense: 12 }], opts)).toThrow(
      "model.layers: the network ends in 12 outputs but the data has 10 classes: end with { dense: 'classes' }",
    );
    expect(() => buildLayerList([start], opts)).toThrow(
      "model.layers: the network ends in 4x4x32 outputs but the data has 10 classes: end with { flatten: {} } (or { globalAvgPool: {} }) and { dense: 'classes' }",
    );
    // A layer's own check comes through with the entry named.
    expect(() =>
      buildLayerList(
        [{ conv2d: { filters: 4, kernel: 3, stride: 2, dilation: 2, padding: 'same' } }],
        opts,
      ),
    ).toThrow(/^model\.layers\[0\] conv2d 4 3x3: strides and dilation cannot both exceed 1/);
  });
});

describe('layerSpecSchema', () => {
  it('accepts one-key entries and null, and rejects two keys, unknown kinds and bad options', () => {
    expect(layerListSchema.parse(issueExample)).toEqual(issueExample);
    expect(layerSpecSchema.parse(null)).toBeNull();
    expect(layerSpecSchema.safeParse({ maxPool: 2, dropout: 0.5 }).success).toBe(false);
    expect(layerSpecSchema.safeParse({ conv3d: { filters: 2 } }).success).toBe(false);
    expect(layerSpecSchema.safeParse({ conv2d: { filters: 0, kernel: 3 } }).success).toBe(false);
    expect(layerSpecSchema.safeParse({ dropout: 1 }).success).toBe(false);
  });

  it('describes entries in a few words', () => {
    expect(issueExample.map(describeLayerSpec)).toEqual([
      'conv2d 16 3x3',
      'maxPool 2',
      'batchNorm',
      'dropout 0.25',
      'flatten',
      'dense 10',
    ]);
    expect(describeLayerSpec(null)).toBe('none');
    expect(describeLayerSpec({ activation: 'relu' })).toBe('activation relu');
  });
});
