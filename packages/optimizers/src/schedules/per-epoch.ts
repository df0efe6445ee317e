import type { Schedule } from '@tunelab/core';
import { positiveInteger } from '../check.js';
import { checkStep, type ScheduleWithConfig } from './schedule.js';

/**
 * Runs a schedule in epochs: lr_t = s(floor(t / iterationsPerEpoch)), so `s` sees the 0-based
 * epoch and the rate changes only between epochs. Pass iterationsPerEpoch(trainSize,
 * batchSize) from @tunelab/core. E.g. perEpoch(timeDecay({ lr: 0.1, decay: 0.5 }), 1500)
 * gives 0.1 for the first epoch, 0.1 / 1.5 for the second.
 */
export function perEpoch(schedule: Schedule, iterationsPerEpoch: number): ScheduleWithConfig {
  const n = positiveInteger('perEpoch', 'iterationsPerEpoch', iterationsPerEpoch);
  const wrapped: ScheduleWithConfig = {
    at(step) {
      checkStep('perEpoch', step);
      return schedule.at(Math.floor(step / n));
    },
    config: () => ({
      name: 'perEpoch',
      iterationsPerEpoch: n,
      schedule: schedule.config?.() ?? null,
    }),
  };
  // The wrapped schedule counts epochs: `step` updates so far are step / n epochs.
  if (schedule.observe) {
    wrapped.observe = (logs, step) =>
      schedule.observe!(logs, step === undefined ? undefined : Math.floor(step / n));
  }
  return wrapped;
}
