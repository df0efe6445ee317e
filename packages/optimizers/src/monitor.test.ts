import { describe, expect, it } from 'vitest';
import { BestValue, defaultMode, readMetric } from './monitor.js';

describe('BestValue', () => {
  it("'min': improvement means below best - minDelta; NaN never improves", () => {
    const b = new BestValue('test', 'min', 0.1);
    // 1 (first) best; 0.95 > 0.9 no; 0.85 < 0.9 best; NaN no; 0.7 < 0.75 best
    expect([1, 0.95, 0.85, Number.NaN, 0.7].map((v) => b.update(v))).toEqual([
      true,
      false,
      true,
      false,
      true,
    ]);
    expect(b.value).toBe(0.7);
    expect(b.at).toBe(5);
  });

  it("'max' for accuracies", () => {
    const b = new BestValue('test', 'max');
    expect([0.5, 0.5, 0.6].map((v) => b.update(v))).toEqual([true, false, true]);
    expect(defaultMode('valAccuracy')).toBe('max');
    expect(defaultMode('valLoss')).toBe('min');
  });

  it('names bad options and missing metrics', () => {
    expect(() => new BestValue('x', 'down' as 'min')).toThrow(
      `x: mode must be 'min' or 'max', got "down"`,
    );
    expect(() => new BestValue('x', 'min', -0.1)).toThrow(
      'x: minDelta must be a non-negative number, got -0.1',
    );
    expect(() => readMetric('x', {}, 'valLoss')).toThrow(
      'x: monitored metric "valLoss" is not in the epoch\'s metrics (none)',
    );
    expect(readMetric('x', { valLoss: 0.5 }, 'valLoss')).toBe(0.5);
  });
});
