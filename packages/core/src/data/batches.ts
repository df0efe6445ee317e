import type { Rng } from '../random/rng.js';

/** Options of {@link batchIndices}. */
export interface BatchOptions {
  /** Shuffles the order with this generator; in order when absent. */
  rng?: Rng | undefined;
  /**
   * Drops the last batch when it is smaller than `batchSize`. Default false: the last
   * partial batch is kept, so every example is seen once per epoch.
   */
  dropLast?: boolean | undefined;
}

/**
 * Batches per epoch: ceil(size / batchSize), or floor(...) when the last partial batch is
 * dropped. 48,000 examples at batch 32 give 1,500 iterations; 30 epochs give 45,000.
 * `iterationsPerEpoch(48_000, 32)` is 1,500; `iterationsPerEpoch(50_000, 32)` is 1,563 (1,562 with
 * `{ dropLast: true }`).
 */
export function iterationsPerEpoch(
  size: number,
  batchSize: number,
  options: Pick<BatchOptions, 'dropLast'> = {},
): number {
  checkBatchSize(batchSize);
  return options.dropLast ? Math.floor(size / batchSize) : Math.ceil(size / batchSize);
}

/**
 * Yields the example indices of each batch of one epoch.
 * `[...batchIndices(10, 4)]` is [0, 1, 2, 3], [4, 5, 6, 7], [8, 9] (with `rng`, shuffled first).
 */
export function* batchIndices(
  size: number,
  batchSize: number,
  options: BatchOptions = {},
): Generator<Int32Array> {
  checkBatchSize(batchSize);
  const order = options.rng
    ? options.rng.permutation(size)
    : Int32Array.from({ length: size }, (_, i) => i);
  const count = iterationsPerEpoch(size, batchSize, options);
  for (let b = 0; b < count; b++) {
    yield order.subarray(b * batchSize, Math.min(size, (b + 1) * batchSize));
  }
}

function checkBatchSize(batchSize: number): void {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(`batchSize must be a positive integer, got ${batchSize}`);
  }
}
