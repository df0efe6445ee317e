import { describe, expect, it } from 'vitest';
import { splitByRatios, splitPart } from './split.js';

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
