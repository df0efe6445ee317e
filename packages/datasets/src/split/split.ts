import { Rng } from '@tunelab/core';

/** A seeded partition of 0..n-1 into named parts. */
export interface Split {
  readonly seed: number;
  readonly ratios: readonly number[];
  readonly names: readonly string[];
  /** Example indices of each part, in shuffled order. */
  readonly parts: readonly Int32Array[];
  readonly sizes: readonly number[];
  /** Hex digest of the sizes and index order: equal on two machines iff the splits are equal. */
  readonly fingerprint: string;
}

/** Options of {@link splitByRatios}. */
export interface SplitOptions {
  /** Seed of the shuffle. */
  seed: number;
  /** Fractions that sum to 1. Default [0.8, 0.1, 0.1]. */
  ratios?: readonly number[];
  /** Part names. Default ['train', 'validation', 'test'] (or part1, part2, ... for other counts). */
  names?: readonly string[];
}

/**
 * Shuffles 0..n-1 with the seed and cuts it at round(n * cumulative ratio). 80/10/10 gives
 * 56,000 / 7,000 / 7,000 of 70,000 and 48,000 / 6,000 / 6,000 of 60,000.
 */
export function splitByRatios(n: number, options: SplitOptions): Split {
  const ratios = options.ratios ?? [0.8, 0.1, 0.1];
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`splitByRatios: n must be a non-negative integer, got ${n}`);
  if (ratios.length === 0 || ratios.some((r) => !(r >= 0))) {
    throw new Error(
      `splitByRatios: ratios must be non-negative numbers, got [${ratios.join(', ')}]`,
    );
  }
  const total = ratios.reduce((a, b) => a + b, 0);
  if (Math.abs(total - 1) > 1e-9)
    throw new Error(
      `splitByRatios: ratios must sum to 1, got [${ratios.join(', ')}] (sum ${total})`,
    );
  const names =
    options.names ??
    (ratios.length === 3 ? ['train', 'validation', 'test'] : ratios.map((_, i) => `part${i + 1}`));
  if (names.length !== ratios.length)
    throw new Error(`splitByRatios: ${names.length} names for ${ratios.length} ratios`);

  const order = Rng.fromSeed(options.seed).fork('split').permutation(n);
  const parts: Int32Array[] = [];
  let start = 0;
  let cumulative = 0;
  ratios.forEach((ratio, i) => {
    cumulative += ratio;
    const end = i === ratios.length - 1 ? n : Math.round(n * cumulative);
    parts.push(order.slice(start, end));
    start = end;
  });
  const sizes = parts.map((p) => p.length);
  return {
    seed: options.seed,
    ratios: [...ratios],
    names,
    parts,
    sizes,
    fingerprint: fingerprintParts(parts),
  };
}

/** The part called `name` of a split. */
export function splitPart(split: Split, name: string): Int32Array {
  const i = split.names.indexOf(name);
  if (i < 0) throw new Error(`split has no part "${name}" (parts: ${split.names.join(', ')})`);
  return split.parts[i]!;
}

/**
 * cyrb53-style 64-bit digest (two 32-bit lanes) over the part sizes and indices; printed as
 * 16 hex digits. Not cryptographic: it exists to compare splits across machines.
 */
export function fingerprintParts(parts: readonly ArrayLike<number>[]): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  const mix = (v: number) => {
    h1 = Math.imul(h1 ^ v, 2654435761);
    h2 = Math.imul(h2 ^ v, 1597334677);
  };
  for (const part of parts) {
    mix(part.length);
    for (let i = 0; i < part.length; i++) mix(part[i]!);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h2 >>> 0).toString(16).padStart(8, '0') + (h1 >>> 0).toString(16).padStart(8, '0');
}
