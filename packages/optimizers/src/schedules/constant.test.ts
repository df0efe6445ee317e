import { describe, expect, it } from 'vitest';
import { constant } from './constant.js';

describe('constant', () => {
  it('returns lr at every step', () => {
    const s = constant(0.1);
    expect([0, 1, 1000, 1e6].map((t) => s.at(t))).toEqual([0.1, 0.1, 0.1, 0.1]);
    expect(s.config()).toEqual({ name: 'constant', lr: 0.1 });
  });

  it('rejects a negative rate with the value received', () => {
    expect(() => constant(-0.1)).toThrow('constant: lr must be a non-negative number, got -0.1');
  });
});
