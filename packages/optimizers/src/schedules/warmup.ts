import type { Schedule } from '@tunelab/core';
import { nonNegative, positiveInteger } from '../check.js';
import { checkStep, type ScheduleWithConfig } from './schedule.js';

/** Options of {@link warmup}. */
export interface WarmupOptions {
  /**
   * Warm-up length in updates (a positive integer); e.g. 5 epochs =
   * 5 * iterationsPerEpoch(trainSize, batchSize) from @tunelab/core.
   */
  steps: number;
  /** Rate of the first update, >= 0. Default 0 (Hugging Face's convention). */
  startLr?: number;
}

/**
 * Linear warm-up composed with any schedule: for t < steps the rate climbs in a straight line
 * from startLr to the schedule's first rate, lr_t = startLr + (s(0) - startLr) t / steps;
 * afterwards the schedule runs from its own step 0, lr_t = s(t - steps). A plateau schedule
 * inside still observes every epoch. Paper: Goyal et al. 2017, "Accurate, Large Minibatch
 * SGD: Training ImageNet in 1 Hour", https://arxiv.org/abs/1706.02677 (gradual warm-up).
 */
export function warmup(schedule: Schedule, options: WarmupOptions): ScheduleWithConfig {
  const steps = positiveInteger('warmup', 'steps', options.steps);
  const startLr = nonNegative('warmup', 'startLr', options.startLr ?? 0);
  const composed: ScheduleWithConfig = {
    at(step) {
      checkStep('warmup', step);
      if (step >= steps) return schedule.at(step - steps);
      return startLr + ((schedule.at(0) - startLr) * step) / steps;
    },
    config: () => ({ name: 'warmup', steps, startLr, schedule: schedule.config?.() ?? null }),
  };
  if (schedule.observe) composed.observe = (logs) => schedule.observe!(logs);
  return composed;
}
