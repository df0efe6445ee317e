import { describe, expect, it } from 'vitest';
import {
  cosineDistance,
  cosineSimilarity,
  distanceFunction,
  dot,
  euclideanDistance,
  norm,
} from './distance.js';

describe('distances', () => {
  it('match numbers worked out by hand', () => {
    expect(dot([1, 2], [3, 4])).toBe(11); // 3 + 8
    expect(norm([3, 4])).toBe(5); // the 3-4-5 triangle
    expect(euclideanDistance([1, 1], [4, 5])).toBe(5); // sqrt(9 + 16)
    expect(cosineSimilarity([1, 0], [1, 1])).toBeCloseTo(Math.SQRT1_2, 15); // 45 degrees
    expect(cosineDistance([1, 0], [0, 1])).toBe(1); // orthogonal
    expect(cosineDistance([1, 2], [-2, -4])).toBeCloseTo(2, 15); // opposite
  });

  it('cosine ignores lengths, Euclidean does not', () => {
    expect(cosineSimilarity([1, 2, 3], [10, 20, 30])).toBe(1);
    expect(euclideanDistance([1, 2, 3], [10, 20, 30])).toBeCloseTo(Math.sqrt(81 + 324 + 729), 12);
  });

  it('agrees with the angle between the vectors', () => {
    for (const angle of [0.1, 0.7, 1.5, 2.9]) {
      const a = [2, 0];
      const b = [3 * Math.cos(angle), 3 * Math.sin(angle)];
      expect(cosineSimilarity(a, b)).toBeCloseTo(Math.cos(angle), 14);
    }
  });

  it('names what was wrong', () => {
    expect(() => euclideanDistance([1, 2], [1])).toThrow(
      'euclideanDistance: vectors must have the same length, got 2 and 1',
    );
    expect(() => cosineSimilarity([0, 0], [1, 1])).toThrow('undefined for a zero vector');
    expect(() => distanceFunction('manhattan' as never)).toThrow(
      `unknown distance "manhattan", expected 'euclidean' or 'cosine'`,
    );
  });
});
