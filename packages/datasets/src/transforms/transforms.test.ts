import '@tensorflow/tfjs-backend-cpu';
import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { ArrayDataset, batchIndices, mapBatches, Rng } from '@tunelab/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { concatDatasets } from '../idx/mnist.js';
import { loadDataset } from '../node/load.js';
import { splitByRatios } from '../split/split.js';
import { channelStats, normalize } from './normalize.js';
import { randomCrop } from './random-crop.js';
import { randomFlip } from './random-flip.js';
import { compose, greyToRgb, oneHot, resize } from './reshape.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** n images of h x w x c whose pixel value encodes (example, row, col, channel) uniquely. */
function codedImages(n: number, h: number, w: number, c = 1): ArrayDataset {
  const x = new Float32Array(n * h * w * c);
  for (let i = 0; i < x.length; i++) x[i] = i;
  return new ArrayDataset({ x, y: new Int32Array(n), inputShape: [h, w, c], numClasses: 1 });
}

describe('random crop', () => {
  it('cuts a window of the zero-padded image at an offset within [0, 2 * padding]', () => {
    const data = codedImages(200, 8, 8);
    const batch = data.batch(Array.from({ length: 200 }, (_, i) => i));
    const original = batch.x.arraySync() as number[][][][];
    const cropped = randomCrop({ size: 8, padding: 2 })(batch, Rng.fromSeed(1));
    expect(cropped.x.shape).toEqual([200, 8, 8, 1]);
    const out = cropped.x.arraySync() as number[][][][];
    const offsets = new Set<string>();
    out.forEach((img, n) => {
      // Find the offset from a pixel that came from the image (not padding), then check every pixel.
      let found: [number, number] | null = null;
      for (let oy = 0; oy <= 4 && !found; oy++) {
        for (let ox = 0; ox <= 4 && !found; ox++) {
          const ok = img.every((row, r) =>
            row.every((px, c) => {
              const sy = r + oy - 2;
              const sx = c + ox - 2;
              const expected =
                sy >= 0 && sy < 8 && sx >= 0 && sx < 8 ? original[n]![sy]![sx]![0]! : 0;
              // Codes reach 12,800, where float32 bilinear weights round by ~3e-3; codes differ by >= 1.
              return Math.abs(px[0]! - expected) < 0.05;
            }),
          );
          if (ok) found = [oy, ox];
        }
      }
      expect(found, `image ${n} is not a window of its padded original`).not.toBeNull();
      offsets.add(found!.join(','));
    });
    // 25 possible offsets; 200 draws hit nearly all of them.
    expect(offsets.size).toBeGreaterThan(20);
    cropped.x.dispose();
    cropped.y.dispose();
  });
});

describe('random flip', () => {
  it('mirrors about half of the images, the rest untouched, reproducibly', () => {
    const data = codedImages(2000, 2, 3);
    const all = Array.from({ length: 2000 }, (_, i) => i);
    const run = (seed: number) => {
      const batch = data.batch(all);
      const before = batch.x.arraySync() as number[][][][];
      const after = randomFlip({ p: 0.5 })(batch, Rng.fromSeed(seed));
      const out = after.x.arraySync() as number[][][][];
      tf.dispose([after.x, after.y]);
      return out.map((img, n) => {
        const same = JSON.stringify(img) === JSON.stringify(before[n]);
        const mirrored =
          JSON.stringify(img) === JSON.stringify(before[n]!.map((row) => [...row].reverse()));
        expect(same || mirrored).toBe(true);
        return mirrored ? 1 : 0;
      });
    };
    const flips = run(3);
    const rate = flips.reduce((a: number, b) => a + b, 0) / flips.length;
    // Binomial(2000, 0.5): sd of the rate ~0.011.
    expect(Math.abs(rate - 0.5)).toBeLessThan(0.04);
    expect(run(3)).toEqual(flips);
    expect(run(4)).not.toEqual(flips);
  });
});

describe('shape transforms', () => {
  it('resizes 28x28 to 32x32 bilinearly, replicates grey to RGB, and one-hot encodes labels', () => {
    const data = new ArrayDataset({
      x: new Float32Array(2 * 28 * 28).fill(0.5),
      y: Int32Array.of(3, 1),
      inputShape: [28, 28, 1],
      numClasses: 10,
    });
    const transform = compose(resize(32), greyToRgb(), oneHot(10));
    const mapped = mapBatches(data, transform, [32, 32, 3]);
    const batch = mapped.batch([0, 1]);
    expect(batch.x.shape).toEqual([2, 32, 32, 3]);
    // A constant image stays constant under bilinear resizing.
    expect(Math.max(...Array.from(batch.x.dataSync()).map((v) => Math.abs(v - 0.5)))).toBeLessThan(
      1e-6,
    );
    expect(batch.y.shape).toEqual([2, 10]);
    expect(Array.from(batch.y.dataSync()).indexOf(1)).toBe(3);
    expect(() => greyToRgb()(batch, Rng.fromSeed(1))).toThrow(
      'greyToRgb: expected 1 channel, got 3',
    );
  });
});

describe('batching an epoch with transforms', () => {
  it('leaves no tensors behind', () => {
    const data = codedImages(100, 8, 8);
    const augment = compose(randomCrop({ size: 8, padding: 2 }), randomFlip());
    const before = tf.memory().numTensors;
    let b = 0;
    for (const indices of batchIndices(100, 16, { rng: Rng.fromSeed(1) })) {
      const batch = augment(data.batch(indices), Rng.fromSeed(1).fork(`batch-${b++}`));
      tf.dispose([batch.x, batch.y]);
    }
    expect(b).toBe(7);
    expect(tf.memory().numTensors).toBe(before);
  });
});

const FASHION = process.env.FASHION_MNIST_DIR ?? '/usr/share/datasets/fashion-mnist';

describe.skipIf(!existsSync(FASHION))('normalisation on real Fashion-MNIST', () => {
  it('gives channel mean ~0 and std ~1 on the training split with statistics computed from it', () => {
    const loaded = loadDataset('fashion-mnist', { path: FASHION });
    const all = concatDatasets([loaded.parts.train!, loaded.parts.test!]);
    const train = all.subset(splitByRatios(all.size, { seed: 42 }).parts[0]!);
    const stats = channelStats(train);
    // Fashion-MNIST's well-known pixel mean and std in [0, 1]: about 0.286 and 0.353.
    expect(stats.mean[0]).toBeCloseTo(0.286, 2);
    expect(stats.std[0]).toBeCloseTo(0.353, 2);
    const normalised = mapBatches(train, normalize(stats));
    let sum = 0;
    let sumSq = 0;
    let count = 0;
    for (const indices of batchIndices(train.size, 4000)) {
      const batch = normalised.batch(indices);
      const values = batch.x.dataSync();
      for (const v of values) {
        sum += v;
        sumSq += v * v;
      }
      count += values.length;
      tf.dispose([batch.x, batch.y]);
    }
    const mean = sum / count;
    expect(Math.abs(mean)).toBeLessThan(1e-3);
    expect(Math.sqrt(sumSq / count - mean * mean)).toBeCloseTo(1, 3);
  });
});
