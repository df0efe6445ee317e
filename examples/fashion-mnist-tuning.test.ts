import { expect, it } from 'vitest';
import { run } from './fashion-mnist-tuning.js';
import { hasFashionMnist } from './lib/fashion.js';

it.skipIf(!hasFashionMnist())(
  'Fashion-MNIST: the dataset facts, and a seeded random search',
  async () => {
    const r = await run({ reduced: true, log: () => {} });
    expect(r.officialSizes).toEqual([60_000, 10_000]);
    expect(r.classes).toHaveLength(10);
    expect(r.classes[0]).toBe('T-shirt/top');
    expect(r.classes[9]).toBe('Ankle boot');
    expect(r.perClass).toEqual(new Array(10).fill(6_000)); // 60,000 / 10
    expect(r.perClassTest).toEqual(new Array(10).fill(1_000)); // 10,000 / 10
    // The statistics quoted for the training images: mean 0.2860, std 0.3530.
    expect(r.pixelMean).toBeCloseTo(0.286, 3);
    expect(r.pixelStd).toBeCloseTo(0.353, 3);
    expect(r.trials).toHaveLength(3);
    for (const t of r.trials) {
      expect(t.lr).toBeGreaterThanOrEqual(1e-4);
      expect(t.lr).toBeLessThan(1e-2);
      expect([64, 128, 256]).toContain(t.hidden);
    }
    expect(r.best.valAccuracy).toBe(Math.max(...r.trials.map((t) => t.valAccuracy)));
  },
);
