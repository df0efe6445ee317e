import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@tunelab/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { summarize } from '../summary/summarize.js';
import { conv2dLoops, type Grid, maxAbsDiff } from '../testing/plain-loops.js';
import { BasicBlock } from './basic-block.js';
import type { BatchNorm } from './batch-norm.js';
import type { Conv2D } from './conv2d.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const data = (v: tf.Tensor) => v.dataSync() as Float32Array;

/** Gives a batch norm distinct running statistics and affine parameters. */
function perturb(bn: BatchNorm, seed: number): void {
  const rng = Rng.fromSeed(seed);
  const c = bn.channels;
  bn.runningMean.assign(tf.tensor1d(rng.normalArray(c)));
  bn.runningVar.assign(tf.tensor1d(rng.uniformArray(c, 0.5, 2)));
  bn.weight.assign(tf.tensor1d(rng.uniformArray(c, 0.5, 1.5)));
  bn.bias.assign(tf.tensor1d(rng.normalArray(c, 0, 0.1)));
}

/** Plain loops: convolution then the eval-mode batch-norm formula, channel last. */
function convBn(x: Grid, conv: Conv2D, bn: BatchNorm, relu: boolean): Grid {
  const y = conv2dLoops(x, { data: data(conv.weight.variable), shape: conv.weight.shape }, null, {
    strides: conv.strides,
    padding: conv.padding,
  });
  const [mean, variance, gamma, beta] = [
    bn.runningMean,
    bn.runningVar,
    bn.weight.variable,
    bn.bias.variable,
  ].map(data);
  const c = bn.channels;
  const out = y.data.map((v, i) => {
    const k = i % c;
    const z = ((v - mean![k]!) / Math.sqrt(variance![k]! + bn.epsilon)) * gamma![k]! + beta![k]!;
    return relu ? Math.max(0, z) : z;
  });
  return { data: out, shape: y.shape };
}

describe('BasicBlock', () => {
  for (const [label, cin, cout, stride] of [
    ['identity shortcut', 3, 3, 1],
    ['projection shortcut (stride 2, 2 -> 4 channels)', 2, 4, 2],
  ] as const) {
    it(`equals relu(BN(conv(relu(BN(conv x)))) + shortcut(x)) in plain loops: ${label}`, () => {
      const block = new BasicBlock({
        inputChannels: cin,
        outputChannels: cout,
        stride,
        rng: Rng.fromSeed(1),
      });
      const norms = [
        block.bn1,
        block.bn2,
        ...(block.shortcut ? [block.shortcut.layers[1] as BatchNorm] : []),
      ];
      norms.forEach((bn, i) => {
        perturb(bn, 10 + i);
      });
      block.eval();
      const shape = [2, 5, 5, cin];
      const x = Rng.fromSeed(2).normalArray(2 * 25 * cin);
      const y = tf.tidy(() => block.forward(tf.tensor(x, shape)));
      const input = { data: x, shape };
      const h = convBn(input, block.conv1, block.bn1, true);
      const main = convBn(h, block.conv2, block.bn2, false);
      const skip = block.shortcut
        ? convBn(
            input,
            block.shortcut.layers[0] as Conv2D,
            block.shortcut.layers[1] as BatchNorm,
            false,
          )
        : input;
      const expected = main.data.map((v, i) => Math.max(0, v + skip.data[i]!));
      expect(y.shape).toEqual(main.shape);
      expect(maxAbsDiff(data(y), expected)).toBeLessThan(1e-4);
      y.dispose();
      block.dispose();
    });
  }

  it('projects only when the stride or the width changes; 3x3 convolutions have no bias', () => {
    const same = new BasicBlock({ inputChannels: 64, outputChannels: 64, rng: Rng.fromSeed(1) });
    const down = new BasicBlock({
      inputChannels: 64,
      outputChannels: 128,
      stride: 2,
      rng: Rng.fromSeed(1),
    });
    expect(same.shortcut).toBeNull();
    // 2 * (3*3*64*64 + 2*64) = 73,984
    expect(same.parameterCount()).toBe(73_984);
    // 3*3*64*128 + 3*3*128*128 + 1*1*64*128 + 3 * (2*128) = 230,144
    expect(down.parameterCount()).toBe(230_144);
    same.dispose();
    down.dispose();
  });

  it('summarises both branches and the addition; the main path sets the receptive field', () => {
    const block = new BasicBlock({
      inputChannels: 8,
      outputChannels: 16,
      stride: 2,
      rng: Rng.fromSeed(1),
    });
    const summary = summarize(block, [8, 8, 8]);
    expect(summary.layers.map((l) => `${l.name} ${l.receptiveField}`)).toEqual([
      'conv1 3,3',
      'bn1 3,3',
      'conv2 7,7', // 3 + (3 - 1) * 2
      'bn2 7,7',
      'shortcut.0 1,1',
      'shortcut.1 1,1',
      'add 7,7',
    ]);
    expect(summary.outputShape).toEqual([4, 4, 16]);
    expect(summary.totals.params).toBe(block.parameterCount());
    block.dispose();
  });

  it('trains: a few gradient steps lower a regression loss', () => {
    const block = new BasicBlock({
      inputChannels: 2,
      outputChannels: 3,
      stride: 2,
      rng: Rng.fromSeed(3),
    });
    const x = tf.tensor(Rng.fromSeed(4).normalArray(4 * 6 * 6 * 2), [4, 6, 6, 2]);
    const target = tf.tensor(Rng.fromSeed(5).uniformArray(4 * 3 * 3 * 3, 0, 1), [4, 3, 3, 3]);
    const variables = block.trainableParameters().map((p) => p.variable);
    const losses: number[] = [];
    for (let step = 0; step < 5; step++) {
      const { value, grads } = tf.variableGrads(
        () => tf.mean(tf.squaredDifference(block.forward(x), target)) as tf.Scalar,
        variables,
      );
      losses.push(value.dataSync()[0]!);
      tf.tidy(() => {
        for (const v of variables) v.assign(tf.sub(v, tf.mul(grads[v.name]!, 0.1)));
      });
      tf.dispose([value, ...Object.values(grads)]);
    }
    expect(losses[4]).toBeLessThan(losses[0]!);
    tf.dispose([x, target]);
    block.dispose();
  });
});
