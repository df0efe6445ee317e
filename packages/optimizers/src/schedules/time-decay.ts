import { nonNegative } from '../check.js';
import { checkStep, type ScheduleWithConfig } from './schedule.js';

/** Options of {@link timeDecay}. */
export interface TimeDecayOptions {
  /** Learning rate at step 0, lr0. */
  lr: number;
  /** Decay per update: lr0 halves after 1 / decay updates. >= 0. */
  decay: number;
}

/**
 * Time-based (1/t) decay, lr_t = lr0 / (1 + decay * t) with t the 0-based update
 * (Keras' legacy `decay` argument). The rates sum to infinity while their squares do not,
 * the Robbins-Monro conditions for convergence of stochastic approximation.
 * Paper: Robbins & Monro 1951, "A Stochastic Approximation Method",
 * https://doi.org/10.1214/aoms/1177729586 ; Bottou 2012, "Stochastic Gradient Descent
 * Tricks", https://leon.bottou.org/publications/pdf/tricks-2012.pdf (eta_0 / (1 + lambda eta_0 t)).
 */
export function timeDecay(options: TimeDecayOptions): ScheduleWithConfig {
  const lr = nonNegative('timeDecay', 'lr', options.lr);
  const decay = nonNegative('timeDecay', 'decay', options.decay);
  return {
    at(step) {
      checkStep('timeDecay', step);
      return lr / (1 + decay * step);
    },
    config: () => ({ name: 'timeDecay', lr, decay }),
  };
}
