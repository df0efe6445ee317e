import { describe, expect, it } from 'vitest';
import {
  evaluationSubset,
  kFold,
  leaveOneOut,
  splitByCounts,
  splitByRatios,
  splitPart,
} from './split.js';

describe('splitByRatios', () => {
  it('cuts 80/10/10 into the sizes a student computes', () => {
    expect(splitByRatios(70_000, { seed: 1 }).sizes).toEqual([56_000, 7_000, 7_000]);
    expect(splitByRatios(60_000, { seed: 1 }).sizes).toEqual([48_000, 6_000, 6_000]);
    expect(splitByRatios(10_000, { seed: 1, ratios: [0.8, 0.1, 0.1] }).sizes).toEqual([
      8_000, 1_000, 1_000,
    ]);
    // round(10 * 0.7) = 7, round(10 * 0.85) - 7 = 2 (8.5 rounds up), the rest 1
    expect(splitByRatios(10, { seed: 1, ratios: [0.7, 0.15, 0.15] }).sizes).toEqual([7, 2, 1]);
  });

  it('covers every index exactly once, across disjoint parts', () => {
    const split = splitByRatios(1000, { seed: 3 });
    const all = split.parts.flatMap((p) => Array.from(p)).sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(split.names).toEqual(['train', 'validation', 'test']);
    expect(splitPart(split, 'validation')).toBe(split.parts[1]);
    expect(() => splitPart(split, 'dev')).toThrow(
      'split has no part "dev" (parts: train, validation, test)',
    );
  });

  it('gives the same split and fingerprint for the same seed, different ones for another seed', () => {
    const a = splitByRatios(5000, { seed: 42 });
    const b = splitByRatios(5000, { seed: 42 });
    const c = splitByRatios(5000, { seed: 43 });
    expect(Array.from(a.parts[0]!)).toEqual(Array.from(b.parts[0]!));
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(a.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(Array.from(a.parts[0]!)).not.toEqual(Array.from(c.parts[0]!));
    expect(a.fingerprint).not.toBe(c.fingerprint);
  });

  it('rejects ratios that do not sum to 1', () => {
    expect(() => splitByRatios(10, { seed: 1, ratios: [0.8, 0.1] })).toThrow(
      'splitByRatios: ratios must sum to 1, got [0.8, 0.1] (sum 0.9)',
    );
    expect(() => splitByRatios(10, { seed: 1, ratios: [1.2, -0.2] })).toThrow(/non-negative/);
  });
});

describe('stratified and count splits', () => {
  // 100 examples: 60 of class 0, 30 of class 1, 10 of class 2.
  const labels = Int32Array.from({ length: 100 }, (_, i) => (i < 60 ? 0 : i < 90 ? 1 : 2));
  const countClasses = (part: Int32Array) =>
    [0, 1, 2].map((c) => Array.from(part).filter((i) => labels[i] === c).length);

  it('keeps class proportions in every part when stratified', () => {
    const split = splitByRatios(100, { seed: 1, ratios: [0.8, 0.1, 0.1], stratifyBy: labels });
    expect(split.stratified).toBe(true);
    // 80/10/10 of each class: 48/6/6, 24/3/3, 8/1/1.
    expect(split.parts.map(countClasses)).toEqual([
      [48, 24, 8],
      [6, 3, 1],
      [6, 3, 1],
    ]);
    expect(splitByRatios(100, { seed: 1, stratifyBy: labels }).fingerprint).toBe(split.fingerprint);
  });

  it('splits by counts, leaving the rest unused', () => {
    const split = splitByCounts(100, [70, 20], { seed: 4 });
    expect(split.sizes).toEqual([70, 20]);
    expect(split.names).toEqual(['train', 'validation']);
    // Same shuffle as the ratio split: the first 70 of its order.
    expect(Array.from(split.parts[0]!)).toEqual(
      Array.from(splitByRatios(100, { seed: 4, ratios: [0.7, 0.3] }).parts[0]!),
    );
    expect(() => splitByCounts(100, [90, 20], { seed: 4 })).toThrow(
      'splitByCounts: counts [90, 20] sum to 110, more than the 100 examples',
    );
  });
});

describe('cross-validation', () => {
  it('k-fold: fold sizes differ by at most one, validation folds partition the data', () => {
    const folds = kFold(10, 3, { seed: 2 });
    expect(folds.map((f) => f.validation.length)).toEqual([4, 3, 3]);
    expect(folds.map((f) => f.train.length)).toEqual([6, 7, 7]);
    const all = folds.flatMap((f) => Array.from(f.validation)).sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 10 }, (_, i) => i));
    for (const f of folds) expect(new Set([...f.train, ...f.validation]).size).toBe(10);
    expect(() => kFold(10, 1, { seed: 2 })).toThrow(
      'kFold: k must be an integer in [2, 10], got 1',
    );
  });

  it('stratified k-fold puts each class evenly into the folds', () => {
    const labels = Int32Array.from({ length: 30 }, (_, i) => (i < 20 ? 0 : 1));
    const folds = kFold(30, 5, { seed: 3, stratifyBy: labels });
    for (const f of folds) {
      expect(Array.from(f.validation).filter((i) => labels[i] === 1).length).toBe(2);
      expect(f.validation.length).toBe(6);
    }
  });

  it('leave-one-out: n folds, each validating on one example', () => {
    const folds = leaveOneOut(4);
    expect(folds.map((f) => Array.from(f.validation))).toEqual([[0], [1], [2], [3]]);
    expect(Array.from(folds[2]!.train)).toEqual([0, 1, 3]);
  });

  it('draws a reproducible 20% evaluation subset', () => {
    const subset = evaluationSubset(48_000, 0.2, 9);
    expect(subset.length).toBe(9600);
    expect(new Set(subset).size).toBe(9600);
    expect(Array.from(evaluationSubset(48_000, 0.2, 9).subarray(0, 5))).toEqual(
      Array.from(subset.subarray(0, 5)),
    );
  });
});
