import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { Module, Rng } from '@tunelab/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Conv2D } from '../layers/conv2d.js';
import { Flatten } from '../layers/flatten.js';
import { Linear } from '../layers/linear.js';
import { MaxPool2D } from '../layers/pooling.js';
import { Sequential } from '../layers/sequential.js';
import { lenet5 } from '../models/lenet5.js';
import { vgg16 } from '../models/vgg.js';
import { formatSummary } from './format.js';
import { type LayerSummary, type ModelSummary, outputShapeOf, summarize } from './summarize.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('summarize VGG-16 on 224x224x3 with 1,000 classes', () => {
  // init 'zeros' skips the 138M random draws; the summary never reads a weight
  let model: Sequential;
  let summary: ModelSummary;
  let byName: Map<string, LayerSummary>;
  beforeAll(() => {
    model = vgg16({ init: 'zeros' });
    summary = summarize(model, [224, 224, 3]);
    byName = new Map(summary.layers.map((l) => [l.name, l]));
  });
  afterAll(() => {
    model.dispose();
  });

  it('has the published 138,357,544 parameters', () => {
    // 13 convs: 3*3*(3*64 + 64*64 + 64*128 + 128*128 + 128*256 + 2*256*256 + 256*512
    //   + 5*512*512) + biases (2*64 + 2*128 + 3*256 + 6*512) = 14,710,464 + 4,224 = 14,714,688
    // fc1 7*7*512*4096 + 4096 = 102,764,544; fc2 4096*4096 + 4096 = 16,781,312;
    // predictions 4096*1000 + 1000 = 4,097,000; total 138,357,544
    expect(summary.totals.params).toBe(138_357_544);
    expect(summary.totals.trainableParams).toBe(138_357_544);
    expect(model.parameterCount()).toBe(138_357_544);
    expect(byName.get('fc1')!.params).toBe(102_764_544);
  });

  it('costs 15,470,264,320 MACs per image (the "15.5 G" of the literature)', () => {
    // conv MACs = H*W*Cout*9*Cin per layer:
    //   224^2*64*9*3 = 86,704,128; six layers of 1,849,688,064 (224^2*64*64*9 = 112^2*128*128*9
    //   = 56^2*256*256*9 = 28^2*512*512*9); three of 924,844,032 (the channel-doubling
    //   convs 112^2*128*9*64, 56^2*256*9*128, 28^2*512*9*256); three of 14^2*512*512*9 =
    //   462,422,016: 15,346,630,656 in all. Dense: 25,088*4,096 + 4,096*4,096 + 4,096*1,000 =
    //   123,633,664. Total 15,470,264,320 = 15.47 G; pools, biases and ReLUs not counted.
    expect(summary.totals.macs).toBe(15_470_264_320);
    expect(byName.get('block1_conv2')!.macs).toBe(1_849_688_064);
  });

  it('follows the shapes through the five pools and grows the receptive field to 212 pixels', () => {
    expect(byName.get('block5_pool')!.outputShape).toEqual([7, 7, 512]);
    expect(summary.outputShape).toEqual([1000]);
    // each 3x3 conv adds 2 * jump, each pool adds 1 * jump, the jump doubling per block:
    // 1 + 2*(2*1 + 2*2 + 3*4 + 3*8 + 3*16) + (1 + 2 + 4 + 8 + 16) = 1 + 180 + 31 = 212
    expect(byName.get('block5_pool')!.receptiveField).toEqual([212, 212]);
    expect(byName.get('fc1')!.receptiveField).toBeNull();
  });

  it('prints a table and serialises as JSON with the agreed keys', () => {
    const text = formatSummary(summary);
    expect(text).toContain('Total params: 138,357,544');
    expect(text).toContain('MACs per example: 15,470,264,320 (15.47 G)');
    expect(text).toMatch(/block1_conv1 \(Conv2D\)\s+\[224, 224, 64\]\s+1,792\s+0\s+86,704,128/);
    const json = JSON.parse(JSON.stringify(summary));
    expect(Object.keys(json.totals)).toEqual(
      expect.arrayContaining(['params', 'trainableParams', 'macs']),
    );
    expect(Object.keys(json.layers[0])).toEqual(
      expect.arrayContaining([
        'name',
        'type',
        'outputShape',
        'params',
        'macs',
        'connections',
        'receptiveField',
      ]),
    );
  });
});

describe('summarize LeNet-5', () => {
  let summary: ModelSummary;
  beforeAll(() => {
    const model = lenet5({ seed: 1 });
    summary = summarize(model, [32, 32, 1]);
    model.dispose();
  });
  const row = (name: string) => summary.layers.find((l) => l.name === name)!;

  it('reproduces the paper: C1 156 params / 122,304 connections, C3 1,516 / 151,600', () => {
    expect([row('c1').params, row('c1').connections]).toEqual([156, 122_304]);
    expect([row('s2').params, row('s2').connections]).toEqual([12, 5_880]);
    expect([row('c3').params, row('c3').connections]).toEqual([1_516, 151_600]);
    expect([row('s4').params, row('s4').connections]).toEqual([32, 2_000]);
    expect([row('c5').params, row('c5').connections]).toEqual([48_120, 48_120]);
    expect([row('f6').params, row('f6').connections]).toEqual([10_164, 10_164]);
  });

  it('totals 60,850 parameters and 340,918 connections (the paper: 340,908 with bias-free RBF outputs)', () => {
    expect(summary.totals.params).toBe(60_850);
    // 122,304 + 5,880 + 151,600 + 2,000 + 48,120 + 10,164 = 340,068; + 84*10 + 10 = 340,918
    expect(summary.totals.connections).toBe(340_918);
  });

  it('lets each C5 unit see the whole 32x32 input', () => {
    // 5 -> 6 (s2) -> 6 + 4*2 = 14 (c3) -> 16 (s4) -> 16 + 4*4 = 32 (c5)
    expect(['c1', 's2', 'c3', 's4', 'c5'].map((n) => row(n).receptiveField)).toEqual([
      [5, 5],
      [6, 6],
      [14, 14],
      [16, 16],
      [32, 32],
    ]);
  });
});

describe('receptive fields of stacked small filters (Simonyan & Zisserman, section 2.3)', () => {
  const stack = (kernels: number[], channels: number) =>
    new Sequential(
      kernels.map(
        (k, i) =>
          new Conv2D({
            inputChannels: channels,
            filters: channels,
            kernelSize: k,
            padding: 'same',
            bias: false,
            rng: Rng.fromSeed(i),
          }),
      ),
    );

  it('two 3x3 convolutions see 5x5, three see 7x7, with 27C^2 weights instead of 49C^2', () => {
    const c = 16;
    const three = summarize(stack([3, 3, 3], c), [32, 32, c]);
    expect(three.layers.map((l) => l.receptiveField)).toEqual([
      [3, 3],
      [5, 5],
      [7, 7],
    ]);
    const one = summarize(stack([7], c), [32, 32, c]);
    expect(one.layers[0]!.receptiveField).toEqual([7, 7]);
    expect(three.totals.params).toBe(27 * c * c);
    expect(one.totals.params).toBe(49 * c * c);
    expect(three.totals.macs / one.totals.macs).toBeCloseTo(27 / 49, 10);
  });

  it('a stride multiplies the step of every later layer; dilation widens the window', () => {
    const model = new Sequential([
      new Conv2D({
        inputChannels: 1,
        filters: 1,
        kernelSize: 3,
        strides: 2,
        padding: 'same',
        rng: Rng.fromSeed(1),
      }),
      new Conv2D({
        inputChannels: 1,
        filters: 1,
        kernelSize: 3,
        padding: 'same',
        rng: Rng.fromSeed(1),
      }),
      new Conv2D({
        inputChannels: 1,
        filters: 1,
        kernelSize: 3,
        dilation: 2,
        padding: 'same',
        rng: Rng.fromSeed(1),
      }),
    ]);
    // 3; 3 + 2*2 = 7; dilated kernel 5: 7 + 4*2 = 15
    expect(summarize(model, [16, 16, 1]).layers.map((l) => l.receptiveField![0])).toEqual([
      3, 7, 15,
    ]);
    model.dispose();
  });
});

describe('summarize in general', () => {
  it('counts frozen parameters apart from trainable ones', () => {
    const model = new Sequential({
      conv: new Conv2D({ inputChannels: 1, filters: 4, kernelSize: 3, rng: Rng.fromSeed(1) }),
      pool: new MaxPool2D({ poolSize: 2 }),
      flatten: new Flatten(),
      fc: new Linear({ inputs: 3 * 3 * 4, outputs: 2, rng: Rng.fromSeed(2) }),
    });
    model.layers[0]!.freeze();
    const summary = summarize(model, [8, 8, 1]);
    expect(summary.layers.map((l) => [l.name, l.trainableParams, l.frozenParams])).toEqual([
      ['conv', 0, 40],
      ['pool', 0, 0],
      ['flatten', 0, 0],
      ['fc', 74, 0],
    ]);
    expect(summary.totals).toMatchObject({ params: 114, trainableParams: 74, frozenParams: 40 });
    expect(formatSummary(summary)).toContain('Frozen params: 40');
    model.dispose();
  });

  it('agrees with the shapes tfjs computes', () => {
    const model = lenet5({ seed: 2, inputShape: [36, 40, 3] });
    const y = tf.tidy(() => model.forward(tf.zeros([2, 36, 40, 3])));
    expect(outputShapeOf(model, [36, 40, 3])).toEqual(y.shape.slice(1));
    y.dispose();
    model.dispose();
  });

  it('names the layer that cannot describe itself or rejects its input', () => {
    class Mystery extends Module {
      readonly type = 'Mystery';
      forward(x: tf.Tensor): tf.Tensor {
        return x;
      }
    }
    const model = new Sequential({ odd: new Mystery() });
    expect(() => summarize(model, [4])).toThrow(
      'summarize: layer "odd" (Mystery) has no describe(inputShape); implement Describable (or Composite for a container)',
    );
    const dense = new Sequential({
      fc: new Linear({ inputs: 4, outputs: 2, rng: Rng.fromSeed(1) }),
    });
    expect(() => summarize(dense, [2, 2, 1])).toThrow(
      'summarize: layer "fc" (Linear): Linear: expected input [4], got [2,2,1] (put a Flatten before it)',
    );
    expect(() => summarize(dense, [0, 4])).toThrow(
      'summarize: input shape must be positive integers per example, e.g. [28, 28, 1], got [0,4]',
    );
    dense.dispose();
  });
});
