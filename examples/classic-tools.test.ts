import { existsSync } from 'node:fs';
import { expect, it } from 'vitest';
import { run } from './classic-tools.js';
import { hasFashionMnist } from './lib/fashion.js';

it.skipIf(!hasFashionMnist())('classic tools: the numbers worked out by hand', async () => {
  const r = await run({ reduced: true, log: () => {} });

  // 1. kNN from q = (1, 0.5). Euclidean: A (1, 0) and B (1, 1) are both 0.5 away (a tie, the
  // earlier point A ranks first), C (0, 2) is sqrt(1^2 + 1.5^2) = sqrt(3.25) = 1.8028.
  expect(r.table.map((row) => row.point)).toEqual(['A', 'B', 'C']);
  expect(r.table.map((row) => row.distance)).toEqual([0.5, 0.5, Math.sqrt(3.25)]);
  // Cosine distance 1 - q.p / (|q| |p|), |q| = sqrt(1.25): A 1 - 1 / sqrt(1.25) = 0.1056,
  // B 1 - 1.5 / (sqrt(1.25) sqrt(2)) = 0.0513, C 1 - 1 / (sqrt(1.25) * 2) = 0.5528.
  expect(r.cosineTable.map((row) => row.point)).toEqual(['B', 'A', 'C']);
  expect(r.cosineTable[0]!.distance).toBeCloseTo(1 - 1.5 / Math.sqrt(2.5), 12);
  expect(r.cosineTable[1]!.distance).toBeCloseTo(1 - 1 / Math.sqrt(1.25), 12);
  expect(r.cosineTable[2]!.distance).toBeCloseTo(1 - 1 / (2 * Math.sqrt(1.25)), 12);
  // K = 1 takes the first row; K = 3 counts 'b' twice and 'a' once.
  expect(r.votes).toEqual({ euclidean: { k1: 'a', k3: 'b' }, cosine: { k1: 'b', k3: 'b' } });

  // 2. Logistic: z = -6 + 0.05 * 40 + 1 * 3.5 = -0.5, p = 1 / (1 + e^0.5) = 0.3775;
  // p = 0.5 means z = 0: hours = (6 - 3.5) / 0.05 = 50.
  expect(r.probability).toBeCloseTo(1 / (1 + Math.exp(0.5)), 12);
  expect(r.probability).toBeCloseTo(0.3775, 4);
  expect(r.hoursFor50).toBeCloseTo(50, 10);
  // One binary input: b0 = logit(1/4) = ln(1/3) = -1.0986, b1 = logit(3/4) - b0 = 2 ln 3.
  expect(r.newton[0]).toBeCloseTo(Math.log(1 / 3), 10);
  expect(r.newton[1]).toBeCloseTo(2 * Math.log(3), 10);
  expect(r.descent[0]).toBeCloseTo(Math.log(1 / 3), 5);
  expect(r.descent[1]).toBeCloseTo(2 * Math.log(3), 5);

  // 3. LOOCV of the line through (0, 0), (1, 1), (2, 3): misses of 1, 0.5, 1 -> 2.25 / 3.
  expect(r.lineLoocv).toBeCloseTo(0.75, 12);
  // Each degree contains the previous one, so the training error can only fall; the LOOCV
  // error picks the degree of the truth 1 - 2x^2 + x^3, and punishes degree 10 on 25 points.
  for (let i = 1; i < r.loocv.length; i++) {
    expect(r.loocv[i]!.trainingError).toBeLessThanOrEqual(r.loocv[i - 1]!.trainingError + 1e-12);
  }
  expect(r.bestDegree).toBe(3);
  const degree10 = r.loocv.find((row) => row.degree === 10)!;
  expect(degree10.loocvError).toBeGreaterThan(5 * degree10.trainingError);

  // 4. Pseudolabels of 100 images from 200 labelled ones: cosineNearest is cosine kNN with
  // K = 5, so the two agree on every image; raw pixels already beat chance (1 in 10) by far.
  expect(r.pseudolabelled).toBe(100);
  expect(r.sameAsKnn).toBe(100);
  expect(r.pseudolabelAccuracy).toBeGreaterThan(0.5);

  // 5. Bias/variance of polynomial fits to sin(2 pi x) + N(0, 0.3^2), 30 points, 100 sets.
  const at = (degree: number) => r.curves.points.find((p) => p.complexity === degree)!;
  for (const p of r.curves.points) expect(p.irreducible).toBeCloseTo(0.09, 12); // 0.3^2
  // Degree 0: bias^2 = mean of sin^2 over the grid = 1/2; variance = (1/2 + 0.09) / 30 =
  // 0.0197 (an estimate from 100 sets: within 30%).
  expect(at(0).bias2).toBeCloseTo(0.5, 2);
  expect(at(0).variance).toBeGreaterThan(0.59 / 30 / 1.3);
  expect(at(0).variance).toBeLessThan((0.59 / 30) * 1.3);
  // Degrees 1 and 2: 1/2 - 3 / pi^2 = 0.196.
  expect(at(1).bias2).toBeCloseTo(0.5 - 3 / Math.PI ** 2, 2);
  expect(at(2).bias2).toBeCloseTo(0.5 - 3 / Math.PI ** 2, 2);
  // From degree 3 the cubic follows the sine: the bias nearly vanishes.
  expect(at(3).bias2).toBeLessThan(0.01);
  // Training error sigma^2 (n - p) / n once the bias is gone: degree 5 is 0.09 * 24 / 30 =
  // 0.072, degree 8 is 0.09 * 21 / 30 = 0.063 (within 10%), both below sigma^2.
  expect(Math.abs(at(5).trainError / 0.072 - 1)).toBeLessThan(0.1);
  expect(Math.abs(at(8).trainError / 0.063 - 1)).toBeLessThan(0.1);
  // Test error = bias^2 + variance + sigma^2 up to sampling error (5%), at every degree.
  for (const p of r.curves.points) {
    expect(Math.abs(p.testError / (p.bias2 + p.variance + p.irreducible) - 1)).toBeLessThan(0.05);
  }
  // The U: test error is lowest in the middle, not at either end.
  const best = r.curves.points.reduce((a, b) => (b.testError < a.testError ? b : a));
  expect(best.complexity).toBeGreaterThanOrEqual(3);
  expect(best.complexity).toBeLessThanOrEqual(6);
  expect(existsSync(r.chart.png)).toBe(true);
});
