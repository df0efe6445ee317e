import { expect, it } from 'vitest';
import { run } from './data-splitting.js';

it('data splitting: the arithmetic a person checks by hand', async () => {
  const r = await run({ reduced: true, log: () => {} });
  expect(r.cifarSizes).toEqual([48_000, 6_000, 6_000]); // 80/10/10 of 60,000
  expect(r.fashionSizes).toEqual([56_000, 7_000, 7_000]); // 80/10/10 of 70,000
  expect(r.sameSeedSameFingerprint).toBe(true);
  expect(r.fingerprint).toBe('c3b2e2100422ff9f'); // the same on every machine (datasets README)
  expect(r.otherSeedOtherFingerprint).toBe(true);
  expect(r.perEpoch).toBe(1_500); // 48,000 / 32
  expect(r.thirtyEpochs).toBe(45_000); // 30 * 1,500
  expect(r.keptLast).toBe(1_563); // ceil(50,000 / 32) = ceil(1,562.5)
  expect(r.droppedLast).toBe(1_562);
  expect(r.lastBatch).toBe(16); // 50,000 - 1,562 * 32
  expect(r.foldSizes).toEqual([4, 3, 3]); // 10 = 4 + 3 + 3
  expect(r.looFolds).toBe(5);
  expect(r.looTrainSize).toBe(4);
  expect(r.trainPerClass).toEqual(new Array(10).fill(80)); // 80% of 100 in every class
  expect(r.real).toBeNull(); // the real data only at full size
});
