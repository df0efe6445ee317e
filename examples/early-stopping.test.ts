import { existsSync } from 'node:fs';
import { expect, it } from 'vitest';
import { run } from './early-stopping.js';
import { hasFashionMnist } from './lib/fashion.js';

it.skipIf(!hasFashionMnist())('early stopping: where each criterion stops', async () => {
  const r = await run({ reduced: true, log: () => {} });
  // Part 1, by hand: GL(4) = 100 (0.75 / 0.7 - 1) = 7.14 > 5.
  expect(r.gl4).toBeCloseTo(7.142857, 5);
  expect(r.byHand).toEqual({ bestEpoch: 3, gl: 4, up: 5, patience: 5 });

  // Part 2: the real run's stops, recomputed here from the curve.
  const v = r.validation;
  expect(r.epochs).toBe(20);
  const best = v.indexOf(Math.min(...v)) + 1;
  expect(r.analysis.bestEpoch).toBe(best);
  let glStop: number | null = null;
  let patienceStop: number | null = null;
  let bestSoFar = 1;
  for (let t = 1; t <= v.length; t++) {
    if (v[t - 1]! < v[bestSoFar - 1]!) bestSoFar = t;
    const gl = 100 * (v[t - 1]! / v[bestSoFar - 1]! - 1);
    if (glStop === null && gl > 5) glStop = t;
    if (patienceStop === null && t - bestSoFar >= 5) patienceStop = t;
  }
  // 500 images for 20 epochs overfit: the validation loss climbs more than 5% above its
  // minimum at some epoch, so GL_5 does stop (the check below is not null against null).
  expect(glStop).not.toBeNull();
  expect(r.analysis.stops.gl!.epoch).toBe(glStop);
  expect(r.analysis.stops.patience!.epoch).toBe(patienceStop);
  expect(existsSync(r.chart.png)).toBe(true);
});
