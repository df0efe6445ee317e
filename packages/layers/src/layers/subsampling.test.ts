import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@tunelab/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxAbsDiff } from '../testing/plain-loops.js';
import { Subsampling } from './subsampling.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('Subsampling', () => {
  it('computes w[c] * (sum of each 2x2 window) + b[c], as LeNet-5 describes', () => {
    const layer = new Subsampling({ channels: 2 });
    layer.weight.assign(tf.tensor1d([0.5, -2]));
    layer.bias.assign(tf.tensor1d([1, 0.25]));
    const [h, w, c] = [4, 6, 2];
    const x = Rng.fromSeed(1).normalArray(h * w * c);
    const y = tf.tidy(() => layer.forward(tf.tensor4d(x, [1, h, w, c])));
    const expected: number[] = [];
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 3; j++)
        for (let k = 0; k < c; k++) {
          let sum = 0;
          for (let u = 0; u < 2; u++)
            for (let v = 0; v < 2; v++) sum += x[((2 * i + u) * w + 2 * j + v) * c + k]!;
          expected.push([0.5, -2][k]! * sum + [1, 0.25][k]!);
        }
    expect(y.shape).toEqual([1, 2, 3, 2]);
    expect(maxAbsDiff(y.dataSync(), expected)).toBeLessThan(1e-5);
    y.dispose();
    layer.dispose();
  });

  it("has LeNet-5's counts: S2 12 parameters and 5,880 connections, S4 32 and 2,000", () => {
    const s2 = new Subsampling({ channels: 6 });
    const s4 = new Subsampling({ channels: 16 });
    expect(s2.parameterCount()).toBe(12);
    // 14*14*6 units, each wired to 4 inputs and a bias
    expect(s2.describe([28, 28, 6])).toMatchObject({
      outputShape: [14, 14, 6],
      connections: 5_880,
    });
    expect(s4.parameterCount()).toBe(32);
    expect(s4.describe([10, 10, 16])).toMatchObject({
      outputShape: [5, 5, 16],
      connections: 2_000,
    });
    s2.dispose();
    s4.dispose();
  });

  it('starts as average pooling', () => {
    const layer = new Subsampling({ channels: 1 });
    const y = tf.tidy(() => layer.forward(tf.tensor4d([1, 2, 3, 6], [1, 2, 2, 1])));
    expect(Array.from(y.dataSync())).toEqual([3]);
    y.dispose();
    layer.dispose();
  });
});
