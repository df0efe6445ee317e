import { expect, it } from 'vitest';
import { run } from './receptive-field.js';

it('receptive field: stacked 3x3 filters against one large filter', async () => {
  const { channels: c, results } = await run({ reduced: true, log: () => {} });
  // Each stride-1 k x k layer adds k - 1: two 3x3 = 5x5, three 3x3 = 7x7.
  expect(results['two 3x3']!.receptiveField).toEqual([5, 5]);
  expect(results['one 5x5']!.receptiveField).toEqual([5, 5]);
  expect(results['three 3x3']!.receptiveField).toEqual([7, 7]);
  expect(results['one 7x7']!.receptiveField).toEqual([7, 7]);
  // Weights k^2 C^2 per layer, C = 64: 18 C^2 = 73,728 vs 25 C^2 = 102,400; 27 C^2 = 110,592
  // vs 49 C^2 = 200,704.
  expect(results['two 3x3']!.params).toBe(18 * c * c);
  expect(results['one 5x5']!.params).toBe(25 * c * c);
  expect(results['three 3x3']!.params).toBe(27 * c * c);
  expect(results['one 7x7']!.params).toBe(49 * c * c);
  // 'same' padding keeps 32x32, so MACs = 32 * 32 * weights.
  expect(results['two 3x3']!.macs).toBe(32 * 32 * 18 * c * c);
});
