import { expect, it } from 'vitest';
import { run } from './batch-norm.js';

it('batch norm: train and eval mode, by hand', async () => {
  const r = await run({ reduced: true, log: () => {} });
  const eps = 1e-5;
  // Train mode, feature 0 = 1, 3, 5, 7: mean 4, biased variance 5.
  const f0 = r.trainOut.map((row) => row[0]!);
  [1, 3, 5, 7].forEach((x, i) => {
    expect(f0[i]).toBeCloseTo((x - 4) / Math.sqrt(5 + eps), 5);
  });
  // Feature 1 = 2, 2, 2, 6: mean 3, variance 3.
  expect(r.trainOut[3]![1]).toBeCloseTo(3 / Math.sqrt(3 + eps), 5);
  // Running statistics after one batch (momentum 0.1, unbiased variance 20/3 and 4).
  expect(r.runningMean).toEqual([0.4, 0.3]);
  expect(r.runningVar).toEqual([Number((0.9 + 2 / 3).toFixed(4)), 1.3]);
  // Eval mode uses them: (1 - 0.4) / sqrt(1.5667 + eps) = 0.4794.
  expect(r.evalOut[0]![0]).toBeCloseTo(0.6 / Math.sqrt(0.9 + 2 / 3 + eps), 5);
  expect(r.evalOut[3]![1]).toBeCloseTo((6 - 0.3) / Math.sqrt(1.3 + eps), 5);
  expect(r.evalAloneSame).toBe(true);
  // 100 batches of 64 from N(5, 4): the running statistics are near 5 and 4 (the initial 0
  // and 1 have weight 0.9^100 = 2.7e-5). Their noise: an average with weights 0.1 * 0.9^k
  // has variance 0.1 / 1.9 of one batch's: sd sqrt(0.1 / 1.9 * 4 / 64) = 0.057 for the mean
  // and sqrt(0.1 / 1.9 * 2 * 16 / 63) = 0.16 for the variance; the bounds are 2.5 sd.
  expect(r.steps).toBe(100);
  for (const m of r.learnedMean) expect(Math.abs(m - 5)).toBeLessThan(0.15);
  for (const v of r.learnedVar) expect(Math.abs(v - 4)).toBeLessThan(0.4);
});
