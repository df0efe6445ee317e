import { expect, it } from 'vitest';
import { hasFashionMnist } from './lib/fashion.js';
import { run } from './sgd-by-hand.js';

it.skipIf(!hasFashionMnist())('SGD by hand equals the library optimizer', async () => {
  const r = await run({ reduced: true, log: () => {} });
  // One step from w = b = 0 with lr 0.01: w = 0.01 * 68/3 = 0.22667, b = 0.01 * 10 = 0.1.
  expect(r.oneStep.w).toBeCloseTo(0.68 / 3, 12);
  expect(r.oneStep.b).toBeCloseTo(0.1, 12);
  expect(r.oneStepLibrary.w).toBeCloseTo(0.68 / 3, 6); // float32
  expect(r.oneStepLibrary.b).toBeCloseTo(0.1, 6);
  // 200 steps: both sides agree, and head for the true line y = 2x + 1.
  expect(r.trainedLibrary.w).toBeCloseTo(r.trained.w, 4);
  expect(r.trainedLibrary.b).toBeCloseTo(r.trained.b, 4);
  expect(Math.abs(r.trained.w - 2)).toBeLessThan(0.05);
  // Softmax regression: 96 images at batch 32 = 3 updates; weights equal to float32 rounding.
  expect(r.updates).toBe(3);
  expect(r.weightDifference).toBeLessThan(1e-6);
  expect(r.validationAccuracy).toBeGreaterThan(0.1); // better than chance after 3 updates
});
