import type { Schedule } from '@tunelab/core';

/** The same learning rate at every step. */
export function constant(lr: number): Schedule {
  if (!(lr >= 0)) throw new Error(`constant: lr must be a non-negative number, got ${lr}`);
  return { at: () => lr, config: () => ({ name: 'constant', lr }) };
}
