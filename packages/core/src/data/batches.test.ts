import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.js';
import { batchIndices, iterationsPerEpoch } from './batches.js';
import { ArrayDataset } from './dataset.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('batching arithmetic', () => {
  it('48,000 examples at batch 32 are 1,500 iterations; 30 epochs are 45,000', () => {
    expect(iterationsPerEpoch(48_000, 32)).toBe(1500);
    expect(30 * iterationsPerEpoch(48_000, 32)).toBe(45_000);
  });

  it('keeps the last partial batch unless told to drop it', () => {
    expect(iterationsPerEpoch(100, 32)).toBe(4);
    expect(iterationsPerEpoch(100, 32, { dropLast: true })).toBe(3);
    const sizes = [...batchIndices(100, 32)].map((b) => b.length);
    expect(sizes).toEqual([32, 32, 32, 4]);
    expect([...batchIndices(100, 32, { dropLast: true })].map((b) => b.length)).toEqual([
      32, 32, 32,
    ]);
  });

  it('visits every example once per epoch, shuffled by the seed', () => {
    const a = [...batchIndices(50, 8, { rng: Rng.fromSeed(1) })].flatMap((b) => Array.from(b));
    const b = [...batchIndices(50, 8, { rng: Rng.fromSeed(1) })].flatMap((x) => Array.from(x));
    const c = [...batchIndices(50, 8, { rng: Rng.fromSeed(2) })].flatMap((x) => Array.from(x));
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('rejects a bad batch size', () => {
    expect(() => iterationsPerEpoch(10, 0)).toThrow(/positive integer, got 0/);
  });
});

describe('ArrayDataset', () => {
  const x = Uint8Array.from({ length: 5 * 4 }, (_, i) => i * 10);
  const y = Uint8Array.from([0, 1, 2, 1, 0]);

  it('builds float batches from uint8 storage, scaled', () => {
    const ds = new ArrayDataset({ x, y, inputShape: [2, 2, 1], numClasses: 3, scale: 1 / 255 });
    const batch = ds.batch([4, 1]);
    expect(batch.x.shape).toEqual([2, 2, 2, 1]);
    expect(batch.x.dtype).toBe('float32');
    const values = batch.x.dataSync();
    expect(values[0]).toBeCloseTo(160 / 255, 6);
    expect(values[4]).toBeCloseTo(40 / 255, 6);
    expect(Array.from(batch.y.dataSync())).toEqual([0, 1]);
    tf.dispose([batch.x, batch.y]);
  });

  it('makes subsets as index views and counts classes', () => {
    const ds = new ArrayDataset({ x, y, inputShape: [4], numClasses: 3 });
    const sub = ds.subset([3, 1, 0]);
    expect(sub.size).toBe(3);
    expect(Array.from(sub.labels())).toEqual([1, 1, 0]);
    expect(sub.classCounts()).toEqual([1, 2, 0]);
    expect(Array.from(sub.subset([2]).labels())).toEqual([0]);
    expect(sub.take(2).size).toBe(2);
    const raw = sub.rawExamples();
    expect(Array.from(raw.y)).toEqual([1, 1, 0]);
    expect(Array.from(raw.x.subarray(0, 4))).toEqual([120, 130, 140, 150]);
    expect(ds.rawExamples().x).toBe(x);
    expect(() => sub.subset([3])).toThrow(/index 3 outside \[0, 3\)/);
  });

  it('checks that inputs and labels agree in length', () => {
    expect(
      () => new ArrayDataset({ x, y: Uint8Array.from([0, 1]), inputShape: [4], numClasses: 3 }),
    ).toThrow(/x has 20 values but 2 labels x \[4\] needs 8/);
  });
});
