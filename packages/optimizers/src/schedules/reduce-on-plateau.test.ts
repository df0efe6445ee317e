import { describe, expect, it } from 'vitest';
import { reduceOnPlateau } from './reduce-on-plateau.js';

/** Plays fit's part: 10 updates per epoch (at(step) per batch), then observe(metrics). */
function run(s: ReturnType<typeof reduceOnPlateau>, values: number[], monitor = 'valLoss') {
  const perEpoch: number[] = [];
  values.forEach((value, e) => {
    for (let b = 0; b < 10; b++) s.at(e * 10 + b);
    perEpoch.push(s.at(e * 10));
    s.observe!({ [monitor]: value });
  });
  return perEpoch;
}

describe('reduceOnPlateau', () => {
  it('reduces after `patience` epochs without improvement, then waits out the cooldown', () => {
    const s = reduceOnPlateau({ lr: 1, factor: 0.5, patience: 2, cooldown: 1 });
    // epoch 1: 1.00 best            epoch 5: 0.91 bad, in cooldown: not counted
    // epoch 2: 0.90 best            epoch 6: 0.93 bad, wait 1
    // epoch 3: 0.95 bad, wait 1     epoch 7: 0.94 bad, wait 2 -> 0.25 from step 70
    // epoch 4: 0.92 bad, wait 2 -> 0.5 from step 40 (after the last step asked, 39)
    // epoch 8: 0.85 best
    const lrs = run(s, [1, 0.9, 0.95, 0.92, 0.91, 0.93, 0.94, 0.85, 0.9]);
    expect(lrs).toEqual([1, 1, 1, 1, 0.5, 0.5, 0.5, 0.25, 0.25]);
    expect(s.at(39)).toBe(1);
    expect(s.at(40)).toBe(0.5);
    expect(s.at(69)).toBe(0.5);
    expect(s.at(70)).toBe(0.25);
    expect(s.reductions()).toEqual([
      { step: 40, lr: 0.5 },
      { step: 70, lr: 0.25 },
    ]);
  });

  it('stops at minLr and counts only changes larger than minDelta', () => {
    const s = reduceOnPlateau({ lr: 1, factor: 0.1, patience: 1, minLr: 0.05, minDelta: 0.1 });
    // e1 1.00 best; e2 0.95 is not below 1.00 - 0.1: bad -> 0.1 from e3
    // e3 0.85 < 0.9: best; e4 0.50 < 0.75: best; e5 0.45 not below 0.4: bad -> 0.01, raised to
    // minLr 0.05 from e6; e6 0.44 bad, but max(0.005, 0.05) is no lower: no change
    expect(run(s, [1, 0.95, 0.85, 0.5, 0.45, 0.44, 0.43])).toEqual([
      1, 1, 0.1, 0.1, 0.1, 0.05, 0.05,
    ]);
    expect(s.reductions()).toHaveLength(2);
  });

  it("watches accuracies in 'max' mode by default", () => {
    const s = reduceOnPlateau({ lr: 1, monitor: 'valAccuracy', factor: 0.5, patience: 1 });
    // 0.5 best, 0.6 best, 0.55 bad -> 0.5 from epoch 4
    expect(run(s, [0.5, 0.6, 0.55, 0.7], 'valAccuracy')).toEqual([1, 1, 1, 0.5]);
    expect(s.config()).toMatchObject({ monitor: 'valAccuracy', mode: 'max' });
  });

  it('names a missing metric and bad options', () => {
    const s = reduceOnPlateau({ lr: 1 });
    expect(() => s.observe!({ trainLoss: 1 })).toThrow(
      'reduceOnPlateau: monitored metric "valLoss" is not in the epoch\'s metrics (trainLoss)',
    );
    expect(() => reduceOnPlateau({ lr: 1, factor: 1 })).toThrow(
      'reduceOnPlateau: factor must be in (0, 1), got 1',
    );
    expect(() => reduceOnPlateau({ lr: 1, mode: 'up' as 'min' })).toThrow(
      `reduceOnPlateau: mode must be 'min' or 'max', got "up"`,
    );
  });
});

describe('reduceOnPlateau with the step fit passes', () => {
  it('applies a reduction from the given step, and replaying logged epochs restores it', () => {
    const values = [1, 0.9, 0.95, 0.92];
    const live = reduceOnPlateau({ lr: 1, factor: 0.5, patience: 2 });
    // 25 updates per epoch: after epoch 4, 100 updates have run; no at() calls in between.
    for (const [e, v] of values.entries()) live.observe!({ valLoss: v }, 25 * (e + 1));
    expect(live.reductions()).toEqual([{ step: 100, lr: 0.5 }]);
    expect(live.at(99)).toBe(1);
    expect(live.at(100)).toBe(0.5);
    // A resumed run rebuilds the schedule from the logged (metrics, step) pairs.
    const replayed = reduceOnPlateau({ lr: 1, factor: 0.5, patience: 2 });
    for (const [e, v] of values.entries()) replayed.observe!({ valLoss: v }, 25 * (e + 1));
    expect(replayed.reductions()).toEqual(live.reductions());
  });
});
