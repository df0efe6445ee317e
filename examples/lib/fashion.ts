// Fashion-MNIST as the examples use it: the official 60,000 + 10,000 images merged and cut
// 80/10/10 with a seed (56,000 / 7,000 / 7,000), optionally cut down for a quick run.
import type { ArrayDataset } from '@tunelab/core';
import { concatDatasets, type Split, splitByRatios } from '@tunelab/datasets';
import { loadDataset, locateDataset } from '@tunelab/datasets/node';

/** The three parts of the split, and where the data came from. */
export interface FashionSplit {
  train: ArrayDataset;
  validation: ArrayDataset;
  test: ArrayDataset;
  split: Split;
  classes: readonly string[];
  /** Folder the IDX files were read from. */
  location: string;
}

/** FASHION_MNIST_DIR when set; else the tunelab cache or /usr/share/datasets/fashion-mnist. */
function where(): { path?: string } {
  const path = process.env.FASHION_MNIST_DIR;
  return path ? { path } : {};
}

/**
 * Loads Fashion-MNIST, merges its parts and splits 80/10/10 with `seed`. With `limit`, each
 * part keeps only its first examples (train `limit.train`, validation and test
 * `limit.eval`): the split itself, and so which images land where, does not change.
 */
export function fashionSplit(
  options: { seed?: number; limit?: { train: number; eval: number } | undefined } = {},
): FashionSplit {
  const fashion = loadDataset('fashion-mnist', where());
  const all = concatDatasets([fashion.parts.train!, fashion.parts.test!]);
  const split = splitByRatios(all.size, { seed: options.seed ?? 42, ratios: [0.8, 0.1, 0.1] });
  const [train, validation, test] = split.parts.map((indices) => all.subset(indices)) as [
    ArrayDataset,
    ArrayDataset,
    ArrayDataset,
  ];
  const limit = options.limit;
  return {
    train: limit ? train.take(limit.train) : train,
    validation: limit ? validation.take(limit.eval) : validation,
    test: limit ? test.take(limit.eval) : test,
    split,
    classes: fashion.classes,
    location: fashion.location,
  };
}

/** True when a Fashion-MNIST copy can be found (tests skip the real-data examples otherwise). */
export function hasFashionMnist(): boolean {
  try {
    locateDataset('fashion-mnist', where());
    return true;
  } catch {
    return false;
  }
}
