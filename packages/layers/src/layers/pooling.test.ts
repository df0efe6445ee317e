import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@tunelab/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxAbsDiff, poolLoops } from '../testing/plain-loops.js';
import { AvgPool2D, GlobalAvgPool, MaxPool2D, type Pool2DArgs } from './pooling.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const shape: [number, number, number, number] = [2, 7, 6, 3];
const x = Rng.fromSeed(3).normalArray(2 * 7 * 6 * 3);

describe('MaxPool2D and AvgPool2D', () => {
  const cases: Array<[string, Pool2DArgs]> = [
    ['2x2, stride 2, valid (drops the odd last row)', { poolSize: 2 }],
    [
      '3x3, stride 2, same (windows cross the border)',
      { poolSize: 3, strides: 2, padding: 'same' },
    ],
    ['3x2, stride 1, valid (overlapping)', { poolSize: [3, 2], strides: 1 }],
  ];
  for (const [label, args] of cases) {
    for (const kind of ['max', 'avg'] as const) {
      it(`${kind} pooling equals the plain-loop pool: ${label}`, () => {
        const layer = kind === 'max' ? new MaxPool2D(args) : new AvgPool2D(args);
        const y = tf.tidy(() => layer.forward(tf.tensor4d(x, shape)));
        const expected = poolLoops({ data: x, shape }, kind, layer.poolSize, {
          strides: layer.strides,
          padding: layer.padding,
        });
        expect(y.shape).toEqual(expected.shape);
        expect(maxAbsDiff(y.dataSync(), expected.data)).toBeLessThan(1e-6);
        expect(layer.describe([7, 6, 3]).outputShape).toEqual(y.shape.slice(1));
        y.dispose();
      });
    }
  }

  it('describes a 2x2 pool: no parameters or MACs, 4 connections per unit, window 2 stride 2', () => {
    const pool = new MaxPool2D({ poolSize: 2 });
    expect(pool.describe([28, 28, 8])).toEqual({
      outputShape: [14, 14, 8],
      macs: 0,
      connections: 14 * 14 * 8 * 4,
      window: { kernel: [2, 2], stride: [2, 2] },
    });
    expect(pool.parameterCount()).toBe(0);
  });

  it('explains bad inputs', () => {
    const pool = new AvgPool2D({ poolSize: 4 });
    expect(() => pool.describe([3, 8, 2])).toThrow(
      "AvgPool2D: input 3x8 is smaller than the 4x4 window with 'valid' padding",
    );
    const flat = tf.zeros([2, 10]);
    expect(() => pool.forward(flat)).toThrow(
      'AvgPool2D: expected input [batch, height, width, channels], got [2,10]',
    );
    flat.dispose();
    expect(() => new MaxPool2D({ poolSize: [2, 0] })).toThrow(
      'MaxPool2D: poolSize must be a positive integer or [height, width] of them, got [2,0]',
    );
  });
});

describe('GlobalAvgPool', () => {
  it('averages each channel over all positions, as a loop does', () => {
    const y = tf.tidy(() => new GlobalAvgPool().forward(tf.tensor4d(x, shape)));
    const expected = new Float32Array(2 * 3);
    for (let n = 0; n < 2; n++)
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let p = 0; p < 7 * 6; p++) sum += x[(n * 42 + p) * 3 + c]!;
        expected[n * 3 + c] = sum / 42;
      }
    expect(y.shape).toEqual([2, 3]);
    expect(maxAbsDiff(y.dataSync(), expected)).toBeLessThan(1e-6);
    y.dispose();
  });

  it('describes [h, w, c] -> [c] with h*w connections per unit and a global window', () => {
    expect(new GlobalAvgPool().describe([7, 7, 64])).toEqual({
      outputShape: [64],
      macs: 0,
      connections: 7 * 7 * 64,
      window: 'global',
    });
  });
});
