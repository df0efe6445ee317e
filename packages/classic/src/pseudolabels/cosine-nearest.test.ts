import { describe, expect, it } from 'vitest';
import { cosineNearest } from './cosine-nearest.js';

const references = [
  { vector: [1, 0], label: 'x' },
  { vector: [0, 1], label: 'y' },
  { vector: [2, 1.9], label: 'x' },
  { vector: [-1, -1], label: 'z' },
];

describe('cosineNearest', () => {
  it('ranks by cosine similarity, worked out by hand', () => {
    // q = (1, 1): cos with (1, 0) and (0, 1) = 1 / sqrt(2) = 0.7071 (a tie: index 0 first);
    // with (2, 1.9) = 3.9 / (sqrt(2) sqrt(7.61)) = 0.9997; with (-1, -1) = -1.
    const result = cosineNearest([1, 1], references, 4);
    expect(result.nearest.map((m) => m.index)).toEqual([2, 0, 1, 3]);
    expect(result.nearest[0]!.similarity).toBeCloseTo(3.9 / (Math.SQRT2 * Math.sqrt(7.61)), 14);
    expect(result.nearest[1]!.similarity).toBeCloseTo(Math.SQRT1_2, 14);
    expect(result.nearest[3]!.similarity).toBeCloseTo(-1, 15);
  });

  it('gives the nearest-n labels and their majority as the pseudolabel', () => {
    expect(cosineNearest([1, 1], references, 2)).toMatchObject({
      labels: ['x', 'x'],
      pseudolabel: 'x',
    });
    // n = 1 from (0.1, 1): nearest is (0, 1), label 'y'.
    expect(cosineNearest([0.1, 1], references, 1).pseudolabel).toBe('y');
    // A tie of counts goes to the label ranked first: (0.2, 1) -> 'y' (0.98), then 'x' (0.82).
    expect(cosineNearest([0.2, 1], references, 2)).toMatchObject({
      labels: ['y', 'x'],
      pseudolabel: 'y',
    });
  });

  it('ignores vector lengths', () => {
    const a = cosineNearest([3, 3], references, 4).nearest.map((m) => m.index);
    const b = cosineNearest([0.01, 0.01], references, 4).nearest.map((m) => m.index);
    expect(a).toEqual(b);
  });

  it('names what was wrong', () => {
    expect(() => cosineNearest([1, 1], references, 5)).toThrow(
      'cosineNearest: n must be an integer in [1, 4] (the number of references), got 5',
    );
    expect(() => cosineNearest([1, 1, 1], references, 1)).toThrow(
      'cosineNearest: reference 0 has 2 values, the query 3',
    );
  });
});
