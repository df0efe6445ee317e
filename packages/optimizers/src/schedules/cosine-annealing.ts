import { check, nonNegative, positive } from '../check.js';
import { checkStep, type ScheduleWithConfig } from './schedule.js';

/** Options of {@link cosineAnnealing}. */
export interface CosineAnnealingOptions {
  /** Largest rate, eta_max: the rate at step 0 and at each restart. */
  lr: number;
  /** Length of the (first) cycle in updates: T_max (SGDR's T_0 with restarts). > 0. */
  tMax: number;
  /** Smallest rate, eta_min, in [0, lr], reached at the end of a cycle. Default 0. */
  etaMin?: number;
  /**
   * Warm restarts (SGDR): at the end of each cycle the rate jumps back to lr. Default false:
   * after tMax updates the rate stays at etaMin.
   */
  restarts?: boolean;
  /** With restarts, each cycle is tMult times as long as the one before (T_mult), >= 1. Default 1. */
  tMult?: number;
}

/**
 * Cosine annealing, lr_t = etaMin + (lr - etaMin) (1 + cos(pi T_cur / T_i)) / 2, where T_cur
 * counts updates since the cycle began and T_i is the cycle's length (tMax, then tMax * tMult,
 * tMax * tMult^2, ... with restarts). Without restarts T_cur = min(t, tMax).
 * Paper: Loshchilov & Hutter 2016, "SGDR: Stochastic Gradient Descent with Warm Restarts",
 * https://arxiv.org/abs/1608.03983 (eq. 5).
 */
export function cosineAnnealing(options: CosineAnnealingOptions): ScheduleWithConfig {
  const where = 'cosineAnnealing';
  const lr = nonNegative(where, 'lr', options.lr);
  const tMax = positive(where, 'tMax', options.tMax);
  const etaMin = check(
    where,
    'etaMin',
    options.etaMin ?? 0,
    (v) => v >= 0 && v <= lr,
    `in [0, lr = ${lr}]`,
  );
  const restarts = options.restarts ?? false;
  if (options.tMult !== undefined && !restarts)
    throw new Error(`${where}: tMult (${options.tMult}) needs restarts: true`);
  const tMult = check(where, 'tMult', options.tMult ?? 1, (v) => v >= 1, 'a number >= 1');

  /** [updates since the cycle began, cycle length] at update t. */
  function cycle(t: number): [number, number] {
    if (!restarts) return [Math.min(t, tMax), tMax];
    if (tMult === 1) return [t % tMax, tMax];
    // Cycles grow geometrically, so this loop runs O(log t) times.
    let start = 0;
    let length = tMax;
    while (t >= start + length) {
      start += length;
      length *= tMult;
    }
    return [t - start, length];
  }

  return {
    at(step) {
      checkStep(where, step);
      const [tCur, tI] = cycle(step);
      return etaMin + ((lr - etaMin) * (1 + Math.cos((Math.PI * tCur) / tI))) / 2;
    },
    config: () => ({ name: where, lr, tMax, etaMin, restarts, tMult }),
  };
}
