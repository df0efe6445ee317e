import { iterationsPerEpoch } from '@tunelab/core';
import { describe, expect, it } from 'vitest';
import { cosineAnnealing } from './cosine-annealing.js';
import { perEpoch } from './per-epoch.js';
import { timeDecay } from './time-decay.js';

describe('perEpoch: the schedule at floor(t / iterationsPerEpoch)', () => {
  it('time decay per epoch', () => {
    const n = iterationsPerEpoch(48_000, 32); // 1500
    const s = perEpoch(timeDecay({ lr: 0.1, decay: 0.5 }), n);
    expect(s.at(0)).toBeCloseTo(0.1, 12); // epoch index 0
    expect(s.at(1499)).toBeCloseTo(0.1, 12);
    expect(s.at(1500)).toBeCloseTo(0.0666666667, 10); // 0.1 / 1.5
    expect(s.at(3000)).toBeCloseTo(0.05, 12); // 0.1 / 2
  });

  it('cosine annealing over 10 epochs of 7 updates', () => {
    const s = perEpoch(cosineAnnealing({ lr: 0.1, tMax: 10 }), 7);
    expect(s.at(35)).toBeCloseTo(0.05, 12); // epoch index 5 of 10
    expect(s.at(41)).toBeCloseTo(0.05, 12); // still epoch index 5
    expect(s.config()).toMatchObject({ name: 'perEpoch', iterationsPerEpoch: 7 });
  });

  it('names the bad value', () => {
    expect(() => perEpoch(timeDecay({ lr: 0.1, decay: 0.5 }), 0)).toThrow(
      'perEpoch: iterationsPerEpoch must be a positive integer, got 0',
    );
  });
});
