import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@tunelab/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { summarize } from '../summary/summarize.js';
import { conv2dLoops, type Grid, maxAbsDiff, poolLoops } from '../testing/plain-loops.js';
import type { Conv2D } from './conv2d.js';
import { Inception } from './inception.js';
import type { Sequential } from './sequential.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** GoogLeNet's inception (3a): 28x28x192 in, 64 + 128 + 32 + 32 = 256 channels out. */
const inception3a = {
  inputChannels: 192,
  conv1x1: 64,
  reduce3x3: 96,
  conv3x3: 128,
  reduce5x5: 16,
  conv5x5: 32,
  poolProjection: 32,
};

describe('Inception', () => {
  it('equals its four branches computed with plain loops, concatenated along the channels', () => {
    const module = new Inception({
      inputChannels: 3,
      conv1x1: 2,
      reduce3x3: 2,
      conv3x3: 3,
      conv5x5: 2,
      poolProjection: 1,
      rng: Rng.fromSeed(1),
    });
    const shape = [2, 5, 4, 3];
    const x: Grid = { data: Rng.fromSeed(2).normalArray(2 * 5 * 4 * 3), shape };
    const y = tf.tidy(() => module.forward(tf.tensor(x.data, shape)));
    const layer = (g: Grid, c: Conv2D): Grid => {
      const out = conv2dLoops(
        g,
        { data: c.weight.variable.dataSync() as Float32Array, shape: c.weight.shape },
        c.bias!.variable.dataSync() as Float32Array,
        { padding: 'same' },
      );
      return { data: out.data.map((v) => Math.max(0, v)), shape: out.shape };
    };
    const branch = (i: number, input: Grid) =>
      (module.branches[i] as Sequential).layers.reduce(
        (g, m) =>
          m.type === 'MaxPool2D'
            ? poolLoops(g, 'max', [3, 3], { strides: [1, 1], padding: 'same' })
            : layer(g, m as Conv2D),
        input,
      );
    const parts = [0, 1, 2, 3].map((i) => branch(i, x));
    const channels = parts.map((p) => p.shape[3]!);
    expect(channels).toEqual([2, 3, 2, 1]);
    const expected: number[] = [];
    for (let pos = 0; pos < 2 * 5 * 4; pos++)
      parts.forEach((p, i) => {
        for (let c = 0; c < channels[i]!; c++) expected.push(p.data[pos * channels[i]! + c]!);
      });
    expect(y.shape).toEqual([2, 5, 4, 8]);
    expect(maxAbsDiff(y.dataSync(), expected)).toBeLessThan(1e-5);
    y.dispose();
    module.dispose();
  });

  it('reproduces GoogLeNet Table 1 for inception (3a): 159K weights, 128M operations', () => {
    const module = new Inception({ ...inception3a, bias: false, rng: Rng.fromSeed(1) });
    const summary = summarize(module, [28, 28, 192]);
    // 192*64 + 192*96 + 9*96*128 + 192*16 + 25*16*32 + 192*32 = 163,328 = 159.5 * 1024
    expect(summary.totals.params).toBe(163_328);
    // every weight is used once per position: 163,328 * 28 * 28
    expect(summary.totals.macs).toBe(128_049_152);
    expect(summary.outputShape).toEqual([28, 28, 256]);
    expect(summary.layers.at(-1)).toMatchObject({
      name: 'concat',
      type: 'Concat',
      receptiveField: [5, 5],
    });
    module.dispose();
  });

  it('shows why the 1x1 reductions matter: the naive module costs 2.4x the MACs', () => {
    const naive = new Inception({
      inputChannels: 192,
      conv1x1: 64,
      conv3x3: 128,
      conv5x5: 32,
      bias: false,
      rng: Rng.fromSeed(1),
    });
    const summary = summarize(naive, [28, 28, 192]);
    // 28*28*(192*64 + 9*192*128 + 25*192*32) = 28*28*387,072; the pool passes 192 channels
    expect(summary.totals.macs).toBe(303_464_448);
    expect(summary.outputShape).toEqual([28, 28, 64 + 128 + 32 + 192]);
    expect(summary.totals.macs / 128_049_152).toBeCloseTo(2.37, 2);
    naive.dispose();
  });

  it('a single 5x5 branch: 120M MACs directly, 12.4M through a 1x1 bottleneck of 16', () => {
    const direct = new Inception({
      inputChannels: 192,
      conv1x1: 1,
      conv3x3: 1,
      conv5x5: 32,
      bias: false,
      rng: Rng.fromSeed(1),
    });
    const reduced = new Inception({
      inputChannels: 192,
      conv1x1: 1,
      conv3x3: 1,
      reduce5x5: 16,
      conv5x5: 32,
      bias: false,
      rng: Rng.fromSeed(1),
    });
    const macs = (m: Inception, names: string[]) =>
      summarize(m, [28, 28, 192])
        .layers.filter((l) => names.includes(l.name))
        .reduce((a, l) => a + l.macs, 0);
    // 28*28*32*5*5*192
    expect(macs(direct, ['branch5x5.conv'])).toBe(120_422_400);
    // 28*28*16*192 + 28*28*32*5*5*16 = 2,408,448 + 10,035,200
    expect(macs(reduced, ['branch5x5.reduce', 'branch5x5.conv'])).toBe(12_443_648);
    direct.dispose();
    reduced.dispose();
  });
});
