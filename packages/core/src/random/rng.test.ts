import { describe, expect, it } from 'vitest';
import { Rng } from './rng.js';

describe('Rng', () => {
  it('matches the xoshiro128** C reference from a given state', () => {
    // Expected values printed by the reference C code (prng.di.unimi.it) for state {1,2,3,4}.
    const rng = Rng.fromState([1, 2, 3, 4]);
    const got = Array.from({ length: 6 }, () => rng.nextUint32());
    expect(got).toEqual([11520, 0, 5927040, 70819200, 2031721883, 1637235492]);

    const other = Rng.fromState([0xdeadbeef, 0x12345678, 0x9abcdef0, 0x0badf00d]);
    for (let i = 0; i < 1000; i++) other.nextUint32();
    expect(other.nextUint32()).toBe(285280189);
  });

  it('gives the same stream for the same seed and a different one for another seed', () => {
    const a = Rng.fromSeed(42).permutation(100);
    const b = Rng.fromSeed(42).permutation(100);
    const c = Rng.fromSeed(43).permutation(100);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it('forks streams that depend only on seed and label, not on draws made before', () => {
    const root = Rng.fromSeed(7);
    const first = root.fork('data').nextUint32();
    for (let i = 0; i < 10; i++) root.nextUint32();
    expect(root.fork('data').nextUint32()).toBe(first);
    expect(root.fork('init').nextUint32()).not.toBe(first);
    expect(root.fork('a').fork('b').path).toBe('/a/b');
  });

  it('draws uniform floats in [0,1) with the right mean and variance', () => {
    const rng = Rng.fromSeed(1);
    const n = 100_000;
    let sum = 0;
    let sumSq = 0;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.float();
      if (!(u >= 0 && u < 1)) outside++;
      sum += u;
      sumSq += u * u;
    }
    expect(outside).toBe(0);
    const mean = sum / n;
    // Uniform(0,1): mean 1/2, variance 1/12; standard error of the mean ~ 0.0009.
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(sumSq / n - mean * mean - 1 / 12)).toBeLessThan(0.002);
  });

  it('draws integers in [0, n) without bias', () => {
    const rng = Rng.fromSeed(2);
    const counts = new Array(6).fill(0);
    for (let i = 0; i < 60_000; i++) counts[rng.int(6)]++;
    // Expected 10,000 each; sd ~ 91.
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
    expect(() => rng.int(0)).toThrow(/1 <= n/);
  });

  it('draws normals with mean and standard deviation as asked', () => {
    const xs = Rng.fromSeed(3).normalArray(100_000, 2, 3);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
    expect(Math.abs(mean - 2)).toBeLessThan(0.05);
    expect(Math.abs(std - 3)).toBeLessThan(0.05);
  });

  it('makes permutations that contain every index once', () => {
    const p = Rng.fromSeed(5).permutation(1000);
    expect(Array.from(p).sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it('rejects a non-integer seed', () => {
    expect(() => Rng.fromSeed(1.5)).toThrow(/integer/);
  });
});
