import { ArrayDataset, Rng, type RunEnvironment } from '@tunelab/core';
import type { ExperimentData } from '../data/prepare.js';
import type { ExperimentInput } from '../schema/experiment.js';

/**
 * A small image dataset a test can train on in seconds: 8x8 grey images, class 0 bright on
 * the left half, class 1 on the right, with noise; `n` examples in one part.
 */
export function halvesData(n = 400, seed = 1): ExperimentData {
  const rng = Rng.fromSeed(seed);
  const x = new Uint8Array(n * 64);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = rng.int(2);
    for (let r = 0; r < 8; r++)
      for (let c = 0; c < 8; c++) {
        const bright = c < 4 === (y[i] === 0);
        x[i * 64 + r * 8 + c] = Math.min(255, (bright ? 160 : 40) + rng.int(80));
      }
  }
  return {
    name: 'halves',
    title: 'Halves',
    source: 'memory',
    location: 'test fixture',
    parts: {
      train: new ArrayDataset({ x, y, inputShape: [8, 8, 1], numClasses: 2, scale: 1 / 255 }),
    },
    classes: ['left', 'right'],
  };
}

/** The environment tests record (no backend selection happened). */
export const testEnvironment: RunEnvironment = {
  backend: 'cpu',
  backendAttempts: [],
  versions: {},
  platform: 'test',
  arch: 'x64',
  cpus: 1,
};

/** The convolutional part of {@link halvesExperiment}: conv, pool, conv (layers 0-2). */
export const halvesFeatures = [
  { conv2d: { filters: 4, kernel: 3, padding: 'same', activation: 'relu' } },
  { maxPool: 2 },
  { conv2d: { filters: 4, kernel: 3, padding: 'same', activation: 'relu' } },
] as const;

/** A small CNN experiment on {@link halvesData}, as a layer list. */
export const halvesExperiment: ExperimentInput = {
  name: 'halves',
  seed: 3,
  data: { dataset: 'halves' },
  model: {
    layers: [...halvesFeatures, { flatten: {} }, { dense: 'classes' }],
  },
  optimizer: { name: 'adam', lr: 0.01 },
  epochs: 2,
  batchSize: 16,
};
