import { Rng } from '@tunelab/core';
import { describe, expect, it } from 'vitest';
import {
  constant,
  fansOf,
  glorotNormal,
  glorotUniform,
  heNormal,
  heUniform,
  zeros,
} from './initializers.js';

function stats(values: Float32Array) {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return { mean, variance, min, max };
}

describe('initialisers', () => {
  it('computes fans of dense and conv kernels', () => {
    expect(fansOf([784, 128])).toEqual({ fanIn: 784, fanOut: 128 });
    expect(fansOf([3, 3, 16, 32])).toEqual({ fanIn: 144, fanOut: 288 });
    expect(fansOf([10])).toEqual({ fanIn: 10, fanOut: 10 });
  });

  it('Glorot uniform stays within sqrt(6/(in+out)) with variance 2/(in+out)', () => {
    const fans = { fanIn: 300, fanOut: 100 };
    const s = stats(glorotUniform(100_000, fans, Rng.fromSeed(1)));
    const limit = Math.sqrt(6 / 400);
    expect(s.min).toBeGreaterThanOrEqual(-limit);
    expect(s.max).toBeLessThan(limit);
    expect(s.variance / (2 / 400)).toBeCloseTo(1, 1);
  });

  it('Glorot normal, He uniform and He normal have the variances of their papers', () => {
    const fans = { fanIn: 200, fanOut: 50 };
    expect(stats(glorotNormal(100_000, fans, Rng.fromSeed(2))).variance / (2 / 250)).toBeCloseTo(
      1,
      1,
    );
    const hu = stats(heUniform(100_000, fans, Rng.fromSeed(3)));
    expect(hu.max).toBeLessThan(Math.sqrt(6 / 200));
    expect(hu.variance / (2 / 200)).toBeCloseTo(1, 1);
    expect(stats(heNormal(100_000, fans, Rng.fromSeed(4))).variance / (2 / 200)).toBeCloseTo(1, 1);
  });

  it('is reproducible from the seed', () => {
    const fans = { fanIn: 4, fanOut: 4 };
    expect(Array.from(glorotUniform(16, fans, Rng.fromSeed(9)))).toEqual(
      Array.from(glorotUniform(16, fans, Rng.fromSeed(9))),
    );
    expect(Array.from(glorotUniform(16, fans, Rng.fromSeed(9)))).not.toEqual(
      Array.from(glorotUniform(16, fans, Rng.fromSeed(10))),
    );
  });

  it('fills zeros and constants', () => {
    const fans = { fanIn: 1, fanOut: 1 };
    expect(Array.from(zeros(3, fans, Rng.fromSeed(1)))).toEqual([0, 0, 0]);
    expect(Array.from(constant(0.25)(2, fans, Rng.fromSeed(1)))).toEqual([0.25, 0.25]);
  });
});
