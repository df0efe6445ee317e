import { describe, expect, it } from 'vitest';
import { evaluationPoints } from './evaluation-points.js';
import { crossesInterval } from './evaluation-schedule.js';

describe('evaluationPoints', () => {
  it('gives the coursework schedule: every 20,000 samples of 56,000 images at batch 100', () => {
    // 5 epochs x 56,000 = 280,000 samples; every 200 updates of 100: 280,000 / 20,000 = 14.
    const points = evaluationPoints({
      trainSize: 56_000,
      batchSize: 100,
      epochs: 5,
      everySamples: 20_000,
    });
    expect(points).toHaveLength(14);
    expect(points[0]).toBe(20_000);
    expect(points.at(-1)).toBe(280_000);
    // 40 epochs: 2,240,000 / 20,000 = 112 points; 8,000 images (MNIST test set, 80%): 5 epochs
    // are 40,000 samples, 2 points.
    expect(
      evaluationPoints({ trainSize: 56_000, batchSize: 100, epochs: 40, everySamples: 20_000 }),
    ).toHaveLength(112);
    expect(
      evaluationPoints({ trainSize: 8_000, batchSize: 100, epochs: 5, everySamples: 20_000 }),
    ).toEqual([20_000, 40_000]);
  });

  it('follows partial and dropped last batches', () => {
    // 300 examples at batch 16: 18 batches of 16 and one of 12 per epoch.
    expect(
      evaluationPoints({ trainSize: 300, batchSize: 16, epochs: 1, everySamples: 100 }),
    ).toEqual([112, 208, 300]);
    // Dropping the 12: 288 samples per epoch; crossings at 112, 208, 304 (epoch 2), 400, 512.
    expect(
      evaluationPoints({
        trainSize: 300,
        batchSize: 16,
        epochs: 2,
        everySamples: 100,
        dropLast: true,
      }),
    ).toEqual([112, 208, 304, 400, 512]);
  });

  it('crosses once per multiple passed', () => {
    expect(crossesInterval(19_900, 20_000, 20_000)).toBe(true);
    expect(crossesInterval(19_800, 19_900, 20_000)).toBe(false);
    expect(crossesInterval(19_968, 20_032, 20_000)).toBe(true);
    expect(() =>
      evaluationPoints({ trainSize: 10, batchSize: 2, epochs: 1, everySamples: 0 }),
    ).toThrow('everySamples must be positive, got 0');
  });
});
