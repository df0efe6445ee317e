import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@tunelab/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxAbsDiff } from '../testing/plain-loops.js';
import { BatchNorm } from './batch-norm.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const eps = 1e-5;

describe('BatchNorm', () => {
  // channel 0: 1, 3, 5 -> mean 3, biased variance 8/3, unbiased 4
  // channel 1: 2, 6, 10 -> mean 6, biased variance 32/3, unbiased 16
  const batch = [
    [1, 2],
    [3, 6],
    [5, 10],
  ];

  it('normalises with the batch statistics in training mode: (x - mean) / sqrt(var + eps) * gamma + beta', () => {
    const bn = new BatchNorm({ channels: 2 });
    bn.weight.assign(tf.tensor1d([2, 0.5]));
    bn.bias.assign(tf.tensor1d([1, -1]));
    const y = tf.tidy(() => bn.forward(tf.tensor2d(batch)));
    const expected = batch.flatMap(([a, b]) => [
      ((a! - 3) / Math.sqrt(8 / 3 + eps)) * 2 + 1,
      ((b! - 6) / Math.sqrt(32 / 3 + eps)) * 0.5 - 1,
    ]);
    expect(maxAbsDiff(y.dataSync(), expected)).toBeLessThan(1e-5);
    y.dispose();
    bn.dispose();
  });

  it("updates the running statistics with PyTorch's momentum: (1 - m) * old + m * batch, unbiased variance", () => {
    const bn = new BatchNorm({ channels: 2, momentum: 0.1 });
    tf.dispose(tf.tidy(() => bn.forward(tf.tensor2d(batch))));
    // mean: 0.9 * 0 + 0.1 * [3, 6]; variance: 0.9 * 1 + 0.1 * [4, 16]
    expect(maxAbsDiff(bn.runningMean.dataSync(), [0.3, 0.6])).toBeLessThan(1e-6);
    expect(maxAbsDiff(bn.runningVar.dataSync(), [1.3, 2.5])).toBeLessThan(1e-6);
    tf.dispose(tf.tidy(() => bn.forward(tf.tensor2d(batch))));
    // second step: 0.9 * 0.3 + 0.3 = 0.57; 0.9 * 1.3 + 0.4 = 1.57
    expect(maxAbsDiff(bn.runningMean.dataSync(), [0.57, 1.14])).toBeLessThan(1e-6);
    expect(maxAbsDiff(bn.runningVar.dataSync(), [1.57, 3.85])).toBeLessThan(1e-6);
    bn.dispose();
  });

  it('leaves no tensors behind when updating its statistics inside tf.tidy', () => {
    const bn = new BatchNorm({ channels: 2 });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      tf.tidy(() => {
        bn.forward(tf.tensor2d(batch));
      });
    }
    expect(tf.memory().numTensors).toBe(before);
    bn.dispose();
  });

  it('uses the running statistics in evaluation mode and leaves them alone', () => {
    const bn = new BatchNorm({ channels: 2 });
    bn.runningMean.assign(tf.tensor1d([0.5, -1]));
    bn.runningVar.assign(tf.tensor1d([4, 0.25]));
    bn.bias.assign(tf.tensor1d([0, 3]));
    bn.eval();
    const y = tf.tidy(() => bn.forward(tf.tensor2d(batch)));
    const expected = batch.flatMap(([a, b]) => [
      (a! - 0.5) / Math.sqrt(4 + eps),
      (b! + 1) / Math.sqrt(0.25 + eps) + 3,
    ]);
    expect(maxAbsDiff(y.dataSync(), expected)).toBeLessThan(1e-5);
    expect(Array.from(bn.runningMean.dataSync())).toEqual([0.5, -1]);
    y.dispose();
    bn.dispose();
  });

  it('computes as in evaluation mode when frozen, even in training mode, and keeps its statistics', () => {
    const bn = new BatchNorm({ channels: 2 });
    bn.freeze();
    bn.train();
    const y = tf.tidy(() => bn.forward(tf.tensor2d(batch)));
    // Running mean 0 and variance 1: y = x / sqrt(1 + eps) (gamma 1, beta 0).
    expect(
      maxAbsDiff(
        y.dataSync(),
        batch.flat().map((v) => v / Math.sqrt(1 + eps)),
      ),
    ).toBeLessThan(1e-6);
    expect(Array.from(bn.runningMean.dataSync())).toEqual([0, 0]);
    expect(Array.from(bn.runningVar.dataSync())).toEqual([1, 1]);
    y.dispose();
    bn.dispose();
  });

  it('takes NHWC statistics over batch, height and width, per channel', () => {
    const bn = new BatchNorm({ channels: 3 });
    const shape: [number, number, number, number] = [2, 3, 2, 3];
    const x = Rng.fromSeed(1).normalArray(36, 2, 3);
    const y = tf.tidy(() => bn.forward(tf.tensor4d(x, shape)));
    const out = y.dataSync();
    for (let c = 0; c < 3; c++) {
      const values = Array.from({ length: 12 }, (_, i) => x[i * 3 + c]!);
      const mean = values.reduce((a, b) => a + b, 0) / 12;
      const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / 12;
      values.forEach((v, i) => {
        expect(out[i * 3 + c]).toBeCloseTo((v - mean) / Math.sqrt(variance + eps), 4);
      });
      expect(bn.runningMean.dataSync()[c]).toBeCloseTo(0.1 * mean, 5);
      expect(bn.runningVar.dataSync()[c]).toBeCloseTo(0.9 + 0.1 * variance * (12 / 11), 5);
    }
    y.dispose();
    bn.dispose();
  });

  it('has the closed-form training gradient dx = gamma/(N sigma) (N dy - sum dy - xhat sum(dy xhat))', () => {
    const bn = new BatchNorm({ channels: 1 });
    bn.weight.assign(tf.tensor1d([1.5]));
    const xs = [1, 2, 4, 7];
    const dy = [0.5, -1, 2, 0.25];
    const dx = tf.tidy(() =>
      tf.grad((x: tf.Tensor) => tf.sum(tf.mul(bn.forward(x), tf.tensor2d(dy, [4, 1]))))(
        tf.tensor2d(xs, [4, 1]),
      ),
    );
    const n = 4;
    const mean = xs.reduce((a, b) => a + b) / n;
    const sigma = Math.sqrt(xs.reduce((a, v) => a + (v - mean) ** 2, 0) / n + eps);
    const xhat = xs.map((v) => (v - mean) / sigma);
    const sumDy = dy.reduce((a, b) => a + b);
    const sumDyXhat = dy.reduce((a, d, i) => a + d * xhat[i]!, 0);
    const expected = xs.map(
      (_, i) => (1.5 / (n * sigma)) * (n * dy[i]! - sumDy - xhat[i]! * sumDyXhat),
    );
    expect(maxAbsDiff(dx.dataSync(), expected)).toBeLessThan(1e-5);
    dx.dispose();
    bn.dispose();
  });

  it('keeps running statistics as saved buffers, not trainable parameters', () => {
    const bn = new BatchNorm({ channels: 4 });
    expect(bn.namedParameters().map(([name]) => name)).toEqual(['weight', 'bias']);
    expect([...bn.stateDict().keys()]).toEqual(['weight', 'bias', 'running_mean', 'running_var']);
    expect(bn.parameterCount()).toBe(8);
    expect(bn.describe([5, 5, 4])).toEqual({
      outputShape: [5, 5, 4],
      macs: 0,
      connections: 200,
      window: 'pointwise',
    });
    bn.dispose();
  });

  it('explains bad inputs and options', () => {
    const bn = new BatchNorm({ channels: 2 });
    const wrong = tf.zeros([4, 3]);
    expect(() => bn.forward(wrong)).toThrow('BatchNorm: expected input [batch, ..., 2], got [4,3]');
    const single = tf.zeros([1, 2]);
    expect(() => bn.forward(single)).toThrow(
      'BatchNorm: training needs more than one value per channel, got input [1,2]',
    );
    tf.dispose([wrong, single]);
    expect(() => new BatchNorm({ channels: 2, momentum: 0.99 * 2 })).toThrow(
      'BatchNorm: momentum must be in [0, 1] (weight of the new batch), got 1.98',
    );
    bn.dispose();
  });
});
