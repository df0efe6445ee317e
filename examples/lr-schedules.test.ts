import { existsSync } from 'node:fs';
import { expect, it } from 'vitest';
import { run } from './lr-schedules.js';

it('learning-rate schedules: the values a person computes', async () => {
  const r = await run({ reduced: true, log: () => {} });
  expect(r.total).toBe(1_500); // one epoch of 48,000 at batch 32
  expect(r.at1500[0]).toBe(0.1); // no decay
  expect(r.at1500[0.001]).toBeCloseTo(0.04, 12); // 0.1 / (1 + 1.5)
  expect(r.at1500[0.01]).toBeCloseTo(0.00625, 12); // 0.1 / 16
  expect(r.halfAt100).toBeCloseTo(0.05, 12); // 0.1 / (1 + 0.01 * 100)
  expect(r.cosineHalf).toBeCloseTo(0.05, 12); // 0.1 (1 + cos(pi / 2)) / 2
  expect(r.stepHalf).toBeCloseTo(0.025, 12); // 0.1 * 0.5^2
  for (const chart of r.charts) expect(existsSync(chart.png)).toBe(true);
});
