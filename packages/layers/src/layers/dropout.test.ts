import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@tunelab/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Dropout } from './dropout.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const n = 100_000;

describe('Dropout', () => {
  it('zeroes a fraction `rate` of the elements and scales the rest by 1 / (1 - rate)', () => {
    const layer = new Dropout({ rate: 0.3, rng: Rng.fromSeed(1) });
    const x = tf.fill([n / 100, 100], 2);
    const y = layer.forward(x);
    const values = y.dataSync() as Float32Array;
    const dropped = values.filter((v) => v === 0).length / n;
    // binomial standard deviation sqrt(0.3 * 0.7 / 1e5) = 0.00145; allow 5 of them
    expect(Math.abs(dropped - 0.3)).toBeLessThan(0.0073);
    const kept = values.filter((v) => v !== 0);
    expect(Math.max(...kept) - Math.min(...kept)).toBe(0);
    expect(kept[0]).toBeCloseTo(2 / 0.7, 5);
    // inverted scaling keeps the mean: E[y] = (1 - p) * x / (1 - p) = x
    const mean = values.reduce((a, b) => a + b, 0) / n;
    expect(Math.abs(mean - 2)).toBeLessThan(0.03);
    tf.dispose([x, y]);
  });

  it('passes the input through in evaluation mode', () => {
    const layer = new Dropout({ rate: 0.5, rng: Rng.fromSeed(1) }).eval();
    const x = tf.tensor1d([1, 2, 3]);
    expect(layer.forward(x)).toBe(x);
    x.dispose();
  });

  it('draws the same masks for the same seed, fresh masks on each call', () => {
    const mask = (layer: Dropout) =>
      tf.tidy(() => Array.from(layer.forward(tf.ones([1000])).dataSync()));
    const a = new Dropout({ rate: 0.5, rng: Rng.fromSeed(7) });
    const b = new Dropout({ rate: 0.5, rng: Rng.fromSeed(7) });
    const c = new Dropout({ rate: 0.5, rng: Rng.fromSeed(8) });
    const [a1, a2] = [mask(a), mask(a)];
    expect(mask(b)).toEqual(a1);
    expect(mask(b)).toEqual(a2);
    expect(a2).not.toEqual(a1);
    expect(mask(c)).not.toEqual(a1);
  });

  it('rejects a rate outside [0, 1)', () => {
    expect(() => new Dropout({ rate: 1, rng: Rng.fromSeed(1) })).toThrow(
      'Dropout: rate must be in [0, 1), got 1',
    );
  });
});
