import { describe, expect, it } from 'vitest';
import { leastSquares } from './least-squares.js';
import { solveLinear } from './solve.js';

describe('solveLinear', () => {
  it('solves a 2x2 system worked out by hand', () => {
    // 2x + y = 3, x + 3y = 5: x = (9 - 5) / 5 = 0.8, y = 1.4.
    const [x, y] = solveLinear(
      [
        [2, 1],
        [1, 3],
      ],
      [3, 5],
    );
    expect(x).toBeCloseTo(0.8, 14);
    expect(y).toBeCloseTo(1.4, 14);
  });

  it('pivots past a zero on the diagonal', () => {
    expect(
      solveLinear(
        [
          [0, 1],
          [1, 0],
        ],
        [2, 3],
      ),
    ).toEqual([3, 2]);
  });

  it('reproduces b from a random system', () => {
    const a = [
      [4, -2, 1, 0.5],
      [3, 6, -4, 2],
      [2, 1, 8, -1],
      [1, 0.3, -2, 5],
    ];
    const x = [1.5, -2, 0.25, 3];
    const b = a.map((row) => row.reduce((s, v, j) => s + v * x[j]!, 0));
    solveLinear(a, b).forEach((v, i) => {
      expect(v).toBeCloseTo(x[i]!, 12);
    });
  });

  it('names what was wrong', () => {
    expect(() =>
      solveLinear(
        [
          [1, 2],
          [2, 4],
        ],
        [1, 2],
      ),
    ).toThrow('solveLinear: A is singular (no pivot in column 1)');
    expect(() => solveLinear([[1, 2]], [1])).toThrow('A must be square');
  });
});

describe('leastSquares', () => {
  it('fits the line through three points like the textbook formula', () => {
    // slope = sum (x - 1)(y - 4/3) / sum (x - 1)^2 = (4/3 + 5/3) / 2 = 3/2,
    // intercept = 4/3 - 3/2 = -1/6.
    const [c, m] = leastSquares(
      [
        [1, 0],
        [1, 1],
        [1, 2],
      ],
      [0, 1, 3],
    );
    expect(c).toBeCloseTo(-1 / 6, 14);
    expect(m).toBeCloseTo(1.5, 14);
  });

  it('agrees with the normal equations A^T A x = A^T b', () => {
    const a = Array.from({ length: 12 }, (_, i) => [1, i / 3, Math.sin(i), (i % 4) - 1.5]);
    const b = a.map((_, i) => Math.cos(i * 1.7) + i / 5);
    const ata = [0, 1, 2, 3].map((j) =>
      [0, 1, 2, 3].map((k) => a.reduce((s, row) => s + row[j]! * row[k]!, 0)),
    );
    const atb = [0, 1, 2, 3].map((j) => a.reduce((s, row, i) => s + row[j]! * b[i]!, 0));
    const normal = solveLinear(ata, atb);
    leastSquares(a, b).forEach((v, i) => {
      expect(v).toBeCloseTo(normal[i]!, 10);
    });
  });

  it('names what was wrong', () => {
    expect(() => leastSquares([[1, 2]], [1])).toThrow(
      'leastSquares: A has 1 rows for 2 unknowns; needs at least as many rows',
    );
    expect(() =>
      leastSquares(
        [
          [1, 2],
          [2, 4],
          [3, 6],
        ],
        [1, 2, 3],
      ),
    ).toThrow('the columns of A are dependent (column 1)');
  });
});
