import { describe, expect, it } from 'vitest';
import { analyzeStopping, stoppingPoints } from './analysis.js';

// epoch:   1    2    3    4    5     6     7      8
const tr = [1.0, 0.8, 0.6, 0.5, 0.45, 0.44, 0.435, 0.43];
const va = [1.0, 0.8, 0.7, 0.6, 0.62, 0.66, 0.65, 0.7];
// E_opt = 0.6 from epoch 4. GL: 5: 3.33, 6: 10, 7: 8.33, 8: 16.67.
// PQ (k = 2) at 6: 10 / 11.364 = 0.88; at 8: 16.667 / 5.814 = 2.867 (see prechelt.test.ts).
// UP (k = 2) strip ends: 0.8, 0.6 (down), 0.66 (up 1), 0.7 (up 2).
// Patience 3: best at 4, no improvement at 5, 6, 7.

describe('stoppingPoints', () => {
  it('gives each criterion its stop epoch and the best epoch', () => {
    expect(
      stoppingPoints(
        va,
        { gl: 12, pq: { alpha: 0.5, k: 2 }, up: { s: 2, k: 2 }, patience: 3 },
        { trainingErrors: tr },
      ),
    ).toEqual({ gl: 8, pq: 6, up: 8, patience: 7, bestEpoch: 4 });
  });

  it('reports only the criteria given, null when one never fires', () => {
    expect(stoppingPoints(va, { gl: 20 })).toEqual({ gl: null, bestEpoch: 4 });
    // the doc comment's example: GL at 4 = 100 (0.75 / 0.7 - 1) = 7.14 > 5
    expect(stoppingPoints([1, 0.8, 0.7, 0.75, 0.9], { gl: 5, patience: 2 })).toEqual({
      gl: 4,
      patience: 5,
      bestEpoch: 3,
    });
  });

  it('asks for training errors when pq is given without them', () => {
    expect(() => stoppingPoints(va, { pq: { alpha: 0.5, k: 2 } })).toThrow(
      'stoppingPoints: criterion pq (PQ_0.5 (k = 2)) needs training errors; pass { trainingErrors } as the third argument',
    );
    expect(() => stoppingPoints(va, { gl: 5 }, { trainingErrors: [1] })).toThrow(
      'stoppingPoints: got 8 validation errors but 1 training errors; expected one of each per epoch',
    );
    expect(() => stoppingPoints(va, { gll: 5 } as never)).toThrow(
      'stoppingPoints: unknown criterion "gll" (expected gl, pq, up, patience)',
    );
    expect(() => stoppingPoints([], { gl: 5 })).toThrow(
      'stoppingPoints: the validation curve is empty',
    );
  });
});

describe('analyzeStopping', () => {
  it('best epoch, overfitting onset and each stop with its reason', () => {
    const a = analyzeStopping({ validation: va, training: tr }, { gl: 5, up: { s: 2, k: 2 } });
    expect(a.epochs).toBe(8);
    expect(a.bestEpoch).toBe(4);
    expect(a.bestValidationError).toBe(0.6);
    // after epoch 4 validation rises (0.6 -> 0.62) while training falls (0.5 -> 0.45)
    expect(a.overfittingEpoch).toBe(4);
    expect(a.stops.gl).toEqual({ criterion: 'GL_5', epoch: 6, reason: 'GL = 10 > 5' });
    expect(a.stops.up).toEqual({
      criterion: 'UP_2 (k = 2)',
      epoch: 8,
      reason: 'validation error rose at the end of 2 successive strips of 2',
    });
  });

  it('a rise in validation error while training error is flat is not overfitting', () => {
    // epoch 2 -> 3: validation 0.9 -> 0.95 but training stays 0.9; epoch 5 -> 6: 0.7 -> 0.75
    // while training falls 0.7 -> 0.6
    const a = analyzeStopping({
      validation: [1, 0.9, 0.95, 0.8, 0.7, 0.75],
      training: [1, 0.9, 0.9, 0.8, 0.7, 0.6],
    });
    expect(a.overfittingEpoch).toBe(5);
    expect(a.bestEpoch).toBe(5);
    expect(a.stops).toEqual({});
    expect(
      analyzeStopping({ validation: [1, 0.9, 0.8], training: [1, 0.9, 0.8] }).overfittingEpoch,
    ).toBe(null);
  });
});
