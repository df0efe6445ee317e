import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { concatDatasets } from '../idx/mnist.js';
import { splitByRatios } from '../split/split.js';
import { loadDataset } from './load.js';

// Real Fashion-MNIST from Debian's dataset-fashion-mnist package (.ci/run installs it).
const FASHION_DIR = process.env.FASHION_MNIST_DIR ?? '/usr/share/datasets/fashion-mnist';
// The real MNIST test set kept beside the project (../shared/data/mnist-t10k).
const MNIST_DIR =
  process.env.MNIST_DIR ?? resolve(import.meta.dirname, '../../../../../shared/data/mnist-t10k');

describe.skipIf(!existsSync(FASHION_DIR))('real Fashion-MNIST', () => {
  const loaded = loadDataset('fashion-mnist', { path: FASHION_DIR });

  it('has 60,000 training and 10,000 test images of 28x28, 6,000 and 1,000 per class', () => {
    expect(loaded.parts.train!.size).toBe(60_000);
    expect(loaded.parts.test!.size).toBe(10_000);
    expect(loaded.parts.train!.inputShape).toEqual([28, 28, 1]);
    expect(loaded.parts.train!.classCounts()).toEqual(new Array(10).fill(6000));
    expect(loaded.parts.test!.classCounts()).toEqual(new Array(10).fill(1000));
  });

  it('keeps the pixels as uint8 (55 MB for 70,000 images, not 220 MB of floats)', () => {
    const merged = concatDatasets([loaded.parts.train!, loaded.parts.test!]);
    const raw = merged.rawExamples();
    expect(raw.x).toBeInstanceOf(Uint8Array);
    expect(raw.x.byteLength).toBe(70_000 * 784);
  });

  it('merges and re-splits 80/10/10 into 56,000 / 7,000 / 7,000, reproducibly', () => {
    const merged = concatDatasets([loaded.parts.train!, loaded.parts.test!]);
    expect(merged.size).toBe(70_000);
    expect(merged.classCounts()).toEqual(new Array(10).fill(7000));
    const split = splitByRatios(merged.size, { seed: 42 });
    expect(split.sizes).toEqual([56_000, 7_000, 7_000]);
    expect(splitByRatios(merged.size, { seed: 42 }).fingerprint).toBe(split.fingerprint);
    // Pinned so that a change to the shuffle or the generator (which would silently change
    // every user's split) fails here. Recompute only on a deliberate format change.
    expect(split.fingerprint).toBe(PINNED_FASHION_SEED_42);
    // A random split keeps classes roughly balanced: 5,600 per class expected in train.
    const counts = merged.subset(split.parts[0]!).classCounts();
    for (const c of counts) expect(Math.abs(c - 5600)).toBeLessThan(200);
  });
});

describe.skipIf(!existsSync(MNIST_DIR))('real MNIST test set', () => {
  it('has the published class counts of the 10,000 test digits', () => {
    const loaded = loadDataset('mnist', { path: MNIST_DIR, parts: ['test'] });
    // From the data's README: 980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009.
    expect(loaded.parts.test!.classCounts()).toEqual([
      980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009,
    ]);
    expect(splitByRatios(10_000, { seed: 0 }).sizes).toEqual([8000, 1000, 1000]);
  });
});

const PINNED_FASHION_SEED_42 = 'c3b2e2100422ff9f';
