import { expect, it } from 'vitest';
import { run } from './custom-layers.js';

it('custom convolution and linear layer match the library', async () => {
  const r = await run({ reduced: true, log: () => {} });
  // 2x2 windows of 1..9: 1+2+4+5, 2+3+5+6, 4+5+7+8, 5+6+8+9.
  expect(r.paper).toEqual([12, 16, 24, 28]);
  expect(r.paperLibrary).toEqual([12, 16, 24, 28]);
  // 8x8 input, 3x3 kernel: 'valid' gives 8 - 3 + 1 = 6; 'same' stride 2 gives ceil(8 / 2) = 4.
  expect(r.conv['valid stride 1']!.shape).toEqual([2, 6, 6, 4]);
  expect(r.conv['same stride 2']!.shape).toEqual([2, 4, 4, 4]);
  for (const { error } of Object.values(r.conv)) expect(error).toBeLessThan(1e-6);
  expect(r.linearError).toBeLessThan(1e-6);
});
