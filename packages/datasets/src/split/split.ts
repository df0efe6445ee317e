import { Rng } from '@tunelab/core/random';

/** A seeded partition of 0..n-1 into named parts. */
export interface Split {
  /** The shuffle seed. */
  readonly seed: number;
  /** The fractions asked for (counts are turned into fractions of n). */
  readonly ratios: readonly number[];
  /** Part names, e.g. ['train', 'validation', 'test']. */
  readonly names: readonly string[];
  /** Example indices of each part, in shuffled order. */
  readonly parts: readonly Int32Array[];
  /** Examples per part, e.g. [56000, 7000, 7000] for 80/10/10 of 70,000. */
  readonly sizes: readonly number[];
  /** Hex digest of the sizes and index order: equal on two machines iff the splits are equal. */
  readonly fingerprint: string;
  /** True when every class was cut in the same ratios (`stratifyBy` given). */
  readonly stratified: boolean;
}

/** Options of {@link splitByRatios} and {@link splitByCounts}. */
export interface SplitOptions {
  /** Seed of the shuffle. */
  seed: number;
  /** Fractions that sum to 1. Default [0.8, 0.1, 0.1]. */
  ratios?: readonly number[];
  /** Part names. Default ['train', 'validation', 'test'] (or part1, part2, ... for other counts). */
  names?: readonly string[];
  /**
   * Class label of each example: when given, every class is split by the same ratios
   * (stratified), so each part keeps the class proportions.
   */
  stratifyBy?: ArrayLike<number>;
}

/**
 * Shuffles 0..n-1 with the seed and cuts it at round(n * cumulative ratio). 80/10/10 gives
 * 56,000 / 7,000 / 7,000 of 70,000 and 48,000 / 6,000 / 6,000 of 60,000. Stratified splits
 * cut each class the same way, then shuffle each part.
 * ```ts
 * splitByRatios(70_000, { seed: 42, ratios: [0.8, 0.1, 0.1] }).sizes; // [56000, 7000, 7000]
 * ```
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
  const names = options.names ?? defaultNames(ratios.length);
  if (names.length !== ratios.length)
    throw new Error(`splitByRatios: ${names.length} names for ${ratios.length} ratios`);

  const rng = Rng.fromSeed(options.seed).fork('split');
  let parts: Int32Array[];
  if (options.stratifyBy) {
    const labels = options.stratifyBy;
    if (labels.length !== n)
      throw new Error(`splitByRatios: stratifyBy has ${labels.length} labels for ${n} examples`);
    const byClass = new Map<number, number[]>();
    for (let i = 0; i < n; i++) {
      const members = byClass.get(labels[i]!);
      if (members) members.push(i);
      else byClass.set(labels[i]!, [i]);
    }
    const pieces: number[][] = ratios.map(() => []);
    for (const cls of [...byClass.keys()].sort((a, b) => a - b)) {
      const members = Int32Array.from(byClass.get(cls)!);
      rng.fork(`class-${cls}`).shuffle(members);
      for (const [i, piece] of cut(members, ratios).entries()) {
        for (const index of piece) pieces[i]!.push(index);
      }
    }
    parts = pieces.map((piece, i) => rng.fork(`part-${i}`).shuffle(Int32Array.from(piece)));
  } else {
    parts = cut(rng.permutation(n), ratios);
  }
  const sizes = parts.map((p) => p.length);
  return {
    seed: options.seed,
    ratios: [...ratios],
    names,
    parts,
    sizes,
    fingerprint: fingerprintParts(parts),
    stratified: !!options.stratifyBy,
  };
}

/**
 * Split by example counts instead of fractions, e.g. [50_000, 10_000] of 60,000: the same
 * seeded shuffle as {@link splitByRatios}, cut at the counts. Examples beyond the sum of the
 * counts get no part. Stratified splits cut each class at its share of the counts (sizes may
 * then differ from the counts by rounding, at most one per class).
 */
export function splitByCounts(
  n: number,
  counts: readonly number[],
  options: Omit<SplitOptions, 'ratios'>,
): Split {
  if (counts.length === 0 || counts.some((c) => !Number.isInteger(c) || c < 0)) {
    throw new Error(
      `splitByCounts: counts must be non-negative integers, got [${counts.join(', ')}]`,
    );
  }
  const used = counts.reduce((a, b) => a + b, 0);
  if (used > n)
    throw new Error(
      `splitByCounts: counts [${counts.join(', ')}] sum to ${used}, more than the ${n} examples`,
    );
  const names = options.names ?? defaultNames(counts.length);
  const ratios = counts.map((c) => c / n);
  let parts: Int32Array[];
  if (options.stratifyBy) {
    const rest = used < n ? [1 - ratios.reduce((a, b) => a + b, 0)] : [];
    const withRest = [...ratios, ...rest];
    parts = splitByRatios(n, {
      ...options,
      ratios: withRest,
      names: withRest.map((_, i) => `part${i}`),
    }).parts.slice(0, counts.length);
  } else {
    parts = cutByCounts(Rng.fromSeed(options.seed).fork('split').permutation(n), counts);
  }
  return {
    seed: options.seed,
    ratios,
    names,
    parts,
    sizes: parts.map((p) => p.length),
    fingerprint: fingerprintParts(parts),
    stratified: !!options.stratifyBy,
  };
}

/** One fold of a cross-validation: train on `train`, evaluate on `validation`. */
export interface Fold {
  /** Indices to train on: every example outside the fold. */
  readonly train: Int32Array;
  /** Indices of the fold itself, to validate on. */
  readonly validation: Int32Array;
}

/**
 * k-fold cross-validation: a seeded shuffle of 0..n-1 cut into k folds whose sizes differ by
 * at most one (the first n mod k folds get one more); fold i validates on piece i and trains
 * on the rest. Stratified when `stratifyBy` is given (each class dealt round-robin to folds).
 * `kFold(10, 3, { seed: 1 }).map((f) => f.validation.length)` is [4, 3, 3].
 */
export function kFold(
  n: number,
  k: number,
  options: { seed: number; stratifyBy?: ArrayLike<number> },
): Fold[] {
  if (!Number.isInteger(k) || k < 2 || k > n)
    throw new Error(`kFold: k must be an integer in [2, ${n}], got ${k}`);
  const rng = Rng.fromSeed(options.seed).fork('kfold');
  let pieces: number[][];
  if (options.stratifyBy) {
    const labels = options.stratifyBy;
    pieces = Array.from({ length: k }, () => []);
    const order = rng.permutation(n);
    const sorted = Array.from(order).sort((a, b) => labels[a]! - labels[b]!);
    for (const [i, index] of sorted.entries()) pieces[i % k]!.push(index);
  } else {
    const order = rng.permutation(n);
    const base = Math.floor(n / k);
    const extra = n % k;
    pieces = [];
    let at = 0;
    for (let f = 0; f < k; f++) {
      const size = base + (f < extra ? 1 : 0);
      pieces.push(Array.from(order.subarray(at, at + size)));
      at += size;
    }
  }
  return pieces.map((validation, f) => ({
    validation: Int32Array.from(validation),
    train: Int32Array.from(pieces.flatMap((p, g) => (g === f ? [] : p))),
  }));
}

/**
 * Leave-one-out: n folds, fold i validates on example i alone and trains on the other n - 1,
 * in order.
 * `leaveOneOut(5)`: 5 folds, each training on 4 examples and validating on 1.
 */
export function leaveOneOut(n: number): Fold[] {
  if (!Number.isInteger(n) || n < 2)
    throw new Error(`leaveOneOut: needs at least 2 examples, got ${n}`);
  return Array.from({ length: n }, (_, i) => ({
    validation: Int32Array.of(i),
    train: Int32Array.from({ length: n - 1 }, (_, j) => (j < i ? j : j + 1)),
  }));
}

/**
 * A seeded random subset of `fraction` of 0..size-1 (rounded), e.g. 20% of the training set
 * to estimate training metrics cheaply during training.
 * `evaluationSubset(56_000, 0.2, 42).length` is 11,200.
 */
export function evaluationSubset(size: number, fraction: number, seed: number): Int32Array {
  if (!(fraction > 0 && fraction <= 1))
    throw new Error(`evaluationSubset: fraction must be in (0, 1], got ${fraction}`);
  return Rng.fromSeed(seed)
    .fork('eval-subset')
    .permutation(size)
    .slice(0, Math.round(size * fraction));
}

/**
 * The part called `name` of a split.
 * `splitPart(split, 'validation').length` is 7,000 for the 80/10/10 split of 70,000.
 */
export function splitPart(split: Split, name: string): Int32Array {
  const i = split.names.indexOf(name);
  if (i < 0) throw new Error(`split has no part "${name}" (parts: ${split.names.join(', ')})`);
  return split.parts[i]!;
}

/**
 * cyrb53-style 64-bit digest (two 32-bit lanes) over the part sizes and indices; printed as
 * 16 hex digits. Not cryptographic: it exists to compare splits across machines.
 * `fingerprintParts(splitByRatios(70_000, { seed: 42, ratios: [0.8, 0.1, 0.1] }).parts)` is
 * 'c3b2e2100422ff9f' on every machine.
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

/** Cuts `order` at round(n * cumulative ratio); the last part takes the rest. */
function cut(order: Int32Array, ratios: readonly number[]): Int32Array[] {
  const n = order.length;
  const parts: Int32Array[] = [];
  let start = 0;
  let cumulative = 0;
  ratios.forEach((ratio, i) => {
    cumulative += ratio;
    const end = i === ratios.length - 1 ? n : Math.round(n * cumulative);
    parts.push(order.slice(start, end));
    start = end;
  });
  return parts;
}

function cutByCounts(order: Int32Array, counts: readonly number[]): Int32Array[] {
  let at = 0;
  return counts.map((c) => {
    const part = order.slice(at, at + c);
    at += c;
    return part;
  });
}

function defaultNames(count: number): string[] {
  return count === 3
    ? ['train', 'validation', 'test']
    : count === 2
      ? ['train', 'validation']
      : Array.from({ length: count }, (_, i) => `part${i + 1}`);
}
