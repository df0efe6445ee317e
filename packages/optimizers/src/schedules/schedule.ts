import type { Schedule } from '@tunelab/core';

/**
 * A core `Schedule` (from @tunelab/core) that also describes itself for the run record.
 * `at(step)` takes the 0-based number of the update about to be applied: fit calls it once
 * per batch, so steps count updates (batches), not epochs. For a schedule in epochs, multiply by
 * `iterationsPerEpoch(trainSize, batchSize)` from @tunelab/core, or wrap it in
 * {@link perEpoch}.
 */
export interface ScheduleWithConfig extends Schedule {
  /**
   * The schedule's settings as JSON for the run record, e.g. { name: 'timeDecay', lr: 0.1, decay:
   * 0.001 }.
   */
  config(): Record<string, unknown>;
}

/** Rejects a step that is not a number >= 0. */
export function checkStep(where: string, step: number): void {
  if (!(step >= 0)) throw new Error(`${where}.at: step must be a number >= 0, got ${step}`);
}
