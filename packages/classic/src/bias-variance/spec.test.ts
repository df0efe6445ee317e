import { describe, expect, it } from 'vitest';
import { BIAS_VARIANCE_CURVES, biasVarianceSpec } from './spec.js';

const curves = {
  noise: 0.1,
  trainSize: 10,
  repetitions: 2,
  testSize: 3,
  points: [
    {
      complexity: 0,
      bias2: 0.5,
      variance: 0.01,
      irreducible: 0.01,
      trainError: 0.5,
      testError: 0.52,
    },
    {
      complexity: 3,
      bias2: 0.01,
      variance: 0.2,
      irreducible: 0.01,
      trainError: 0.005,
      testError: 0.22,
    },
  ],
};

describe('biasVarianceSpec', () => {
  it('has one value per curve and complexity, in long form', () => {
    const spec = biasVarianceSpec(curves, { title: 'sine', complexityName: 'degree' });
    const values = (spec.data as { values: { complexity: number; error: number; curve: string }[] })
      .values;
    expect(values).toHaveLength(2 * 5);
    expect(values.filter((v) => v.curve === 'test error').map((v) => v.error)).toEqual([
      0.52, 0.22,
    ]);
    expect(values.find((v) => v.curve === 'squared bias' && v.complexity === 3)?.error).toBe(0.01);
    expect(spec.title).toBe('sine');
    const encoding = spec.encoding as {
      x: { title: string };
      color: { scale: { domain: string[] } };
    };
    expect(encoding.x.title).toBe('degree');
    expect(encoding.color.scale.domain).toEqual([
      'squared bias',
      'variance',
      'irreducible error',
      'training error',
      'test error',
    ]);
    expect(BIAS_VARIANCE_CURVES).toHaveLength(5);
  });

  it('names what was wrong', () => {
    expect(() => biasVarianceSpec({ ...curves, points: [] })).toThrow(
      'biasVarianceSpec: the curves have no points',
    );
  });
});
