import { describe, expect, it } from 'vitest';
import { knn } from './knn.js';

describe('knn', () => {
  // Three points and the query q = (0, 1), worked out by hand:
  //   index  point   label  Euclidean distance to q
  //   0      (0, 0)  'o'    1
  //   1      (3, 4)  'x'    sqrt(9 + 9) = 4.2426
  //   2      (0, 2)  'x'    1            (ties with point 0; the lower index ranks first)
  const model = knn(
    [
      [0, 0],
      [3, 4],
      [0, 2],
    ],
    ['o', 'x', 'x'],
  );

  it('gives the distance table, nearest first, ties by index', () => {
    const table = model.table([0, 1]);
    expect(table.map((r) => [r.rank, r.index, r.label])).toEqual([
      [1, 0, 'o'],
      [2, 2, 'x'],
      [3, 1, 'x'],
    ]);
    expect(table.map((r) => r.distance)).toEqual([1, 1, Math.sqrt(18)]);
  });

  it('predicts for every K with the documented tie rule', () => {
    // K = 1: the nearest point, 0, says 'o'.
    expect(model.predict([0, 1], 1)).toMatchObject({ label: 'o', tie: false });
    // K = 2: one vote each; 'o' wins because its member ranks first.
    const two = model.predict([0, 1], 2);
    expect(two.label).toBe('o');
    expect(two.tie).toBe(true);
    expect(two.votes).toEqual([
      { label: 'o', count: 1, nearestRank: 1 },
      { label: 'x', count: 1, nearestRank: 2 },
    ]);
    // K = 3: 'x' has two votes of three.
    expect(model.predict([0, 1], 3)).toMatchObject({ label: 'x', tie: false });
  });

  it('changes its mind with the cosine distance', () => {
    // q = (1, 0.5). Euclidean: 0.5 to (1, 0) and to (1, 1) (a tie, index 0 first), 1.8028 to
    // (0, 2). Cosine similarity: 1 / sqrt(1.25) = 0.8944 with (1, 0), 1.5 / sqrt(2.5) = 0.9487
    // with (1, 1), 1 / (2 sqrt(1.25)) = 0.4472 with (0, 2).
    const points = [
      [1, 0],
      [1, 1],
      [0, 2],
    ];
    const labels = ['a', 'b', 'b'];
    const q = [1, 0.5];
    expect(knn(points, labels).predict(q, 1).label).toBe('a');
    const cosine = knn(points, labels, { distance: 'cosine' });
    expect(cosine.predict(q, 1).label).toBe('b');
    const distances = cosine.table(q).map((r) => [r.index, r.distance]);
    expect(distances[0]![0]).toBe(1);
    expect(distances[0]![1]).toBeCloseTo(1 - 1.5 / Math.sqrt(2.5), 14);
    expect(distances[1]![1]).toBeCloseTo(1 - 1 / Math.sqrt(1.25), 14);
    expect(distances[2]![1]).toBeCloseTo(1 - 1 / (2 * Math.sqrt(1.25)), 14);
  });

  it('agrees with a brute-force majority vote on random data', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const points = Array.from({ length: 40 }, () => [random(), random(), random()]);
    const labels = points.map((p) => (p[0]! + p[1]! > 1 ? 1 : 0));
    const model = knn(points, labels);
    for (let trial = 0; trial < 20; trial++) {
      const q = [random(), random(), random()];
      const k = 5;
      const nearest = points
        .map((p, i) => ({ i, d: Math.hypot(p[0]! - q[0]!, p[1]! - q[1]!, p[2]! - q[2]!) }))
        .sort((a, b) => a.d - b.d)
        .slice(0, k);
      const ones = nearest.filter((n) => labels[n.i] === 1).length;
      expect(model.predict(q, k).label).toBe(ones > k / 2 ? 1 : 0);
    }
  });

  it('names what was wrong', () => {
    expect(() => knn([[0, 0]], ['a', 'b'])).toThrow('knn: 1 points but 2 labels');
    expect(() => knn([[0, 0], [1]], ['a', 'b'])).toThrow(
      'knn: point 1 has 1 values, expected 2 like point 0',
    );
    expect(() => model.predict([0, 1], 4)).toThrow('knn: k must be an integer in [1, 3], got 4');
    expect(() => model.table([0, 1, 2])).toThrow('knn: query has 3 values, expected 2');
  });
});
