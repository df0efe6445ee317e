import { existsSync } from 'node:fs';
import { expect, it } from 'vitest';
import { hasFashionMnist } from './lib/fashion.js';
import { run } from './optimizer-comparison.js';

it.skipIf(!hasFashionMnist())(
  'optimiser comparison: steps on paper, then one model four ways',
  async () => {
    const r = await run({ reduced: true, log: () => {} });
    // Two steps on f(w) = w^2 / 2 from w = 1, lr 0.1, mu 0.9 (worked out in the example).
    expect(r.byHand.sgd[0]).toBeCloseTo(0.9, 6);
    expect(r.byHand.sgd[1]).toBeCloseTo(0.81, 6);
    expect(r.byHand.momentum[0]).toBeCloseTo(0.9, 6);
    expect(r.byHand.momentum[1]).toBeCloseTo(0.72, 6);
    expect(r.byHand.nesterov[0]).toBeCloseTo(0.81, 6);
    expect(r.byHand.nesterov[1]).toBeCloseTo(0.5751, 6);
    expect(r.byHand.adam[0]).toBeCloseTo(0.9, 6);
    const mHat = 0.18 / (1 - 0.9 ** 2);
    const vHat = (0.999 * 0.001 + 0.001 * 0.81) / (1 - 0.999 ** 2);
    expect(r.byHand.adam[1]).toBeCloseTo(0.9 - (0.1 * mHat) / (Math.sqrt(vHat) + 1e-8), 5); // 0.80041
    // Same initial weights and first batch: the first loss is the same for every optimiser.
    expect(r.results).toHaveLength(3 + 4);
    for (const x of r.results) expect(x.firstLoss).toBeCloseTo(r.results[0]!.firstLoss, 5);
    const adams = r.results.filter((x) => x.name.startsWith('adam'));
    const best = Math.max(...adams.map((x) => x.valAccuracy));
    expect(adams.find((x) => x.name === r.tunedAdam)!.valAccuracy).toBe(best);
    expect(existsSync(r.chart.png)).toBe(true);
  },
);
