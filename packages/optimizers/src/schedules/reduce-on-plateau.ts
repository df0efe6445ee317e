import { check, nonNegative, positiveInteger } from '../check.js';
import { BestValue, defaultMode, type MonitorOptions, readMetric } from '../monitor.js';
import { checkStep, type ScheduleWithConfig } from './schedule.js';

/** Options of {@link reduceOnPlateau}; `monitor` defaults to 'valLoss'. */
export interface ReduceOnPlateauOptions extends MonitorOptions {
  /** Learning rate until the first reduction. */
  lr: number;
  /** The rate is multiplied by factor, in (0, 1), at each reduction. Default 0.1. */
  factor?: number;
  /** Epochs without improvement (cooldown epochs not counted) before a reduction. Default 10. */
  patience?: number;
  /** Epochs after a reduction during which epochs without improvement are not counted. Default 0. */
  cooldown?: number;
  /** The rate never goes below minLr, in [0, lr]. Default 0. */
  minLr?: number;
}

/** A {@link ScheduleWithConfig} that also lists the reductions it made. */
export interface PlateauSchedule extends ScheduleWithConfig {
  /** Each reduction: the first update that used the new rate, and the rate. */
  reductions(): ReadonlyArray<{
    /** 1-based update that first used the reduced rate. */
    readonly step: number;
    /** The reduced learning rate. */
    readonly lr: number;
  }>;
}

/**
 * Reduce-on-plateau: after each epoch fit calls `observe(metrics)`; once `patience` epochs in
 * a row (outside cooldown) fail to improve the monitored metric by more than minDelta, the rate
 * becomes max(lr * factor, minLr), then `cooldown` epochs are not counted.
 *
 * `at(step)` stays a function of the step and the values observed so far: a reduction takes
 * effect from the step passed to observe (fit passes the updates applied so far), and at() of
 * an earlier step still returns the rate that step had, so the schedule can be plotted after
 * training. Replaying the logged epochs through observe() restores the state on resume.
 * Reference: Keras ReduceLROnPlateau, PyTorch ReduceLROnPlateau (cooldown as in PyTorch).
 */
export function reduceOnPlateau(options: ReduceOnPlateauOptions): PlateauSchedule {
  const where = 'reduceOnPlateau';
  const lr = nonNegative(where, 'lr', options.lr);
  const monitor = options.monitor ?? 'valLoss';
  const mode = options.mode ?? defaultMode(monitor);
  const minDelta = options.minDelta ?? 0;
  const best = new BestValue(where, mode, minDelta);
  const factor = check(where, 'factor', options.factor ?? 0.1, (v) => v > 0 && v < 1, 'in (0, 1)');
  const patience = positiveInteger(where, 'patience', options.patience ?? 10);
  const cooldown = check(
    where,
    'cooldown',
    options.cooldown ?? 0,
    (v) => Number.isInteger(v) && v >= 0,
    'a non-negative integer',
  );
  const minLr = check(
    where,
    'minLr',
    options.minLr ?? 0,
    (v) => v >= 0 && v <= lr,
    `in [0, lr = ${lr}]`,
  );

  const changes = [{ step: 0, lr }];
  let lastStep = -1;
  let wait = 0;
  let cooldownLeft = 0;

  return {
    at(step) {
      checkStep(where, step);
      lastStep = Math.max(lastStep, step);
      for (let i = changes.length - 1; i > 0; i--)
        if (changes[i]!.step <= step) return changes[i]!.lr;
      return lr;
    },
    observe(metrics, step) {
      const value = readMetric(where, metrics, monitor);
      if (best.update(value)) wait = 0;
      else if (cooldownLeft === 0) wait++;
      if (cooldownLeft > 0) cooldownLeft--;
      if (wait >= patience) {
        const current = changes[changes.length - 1]!.lr;
        const next = Math.max(current * factor, minLr);
        // fit passes the number of updates so far; without it, the update after the last at().
        if (next < current) changes.push({ step: step ?? lastStep + 1, lr: next });
        cooldownLeft = cooldown;
        wait = 0;
      }
    },
    reductions: () => changes.slice(1).map((c) => ({ ...c })),
    config: () => ({ name: where, lr, monitor, mode, factor, patience, cooldown, minLr, minDelta }),
  };
}
