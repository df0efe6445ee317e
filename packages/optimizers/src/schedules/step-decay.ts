import { fraction, nonNegative, positiveInteger } from '../check.js';
import { checkStep, type ScheduleWithConfig } from './schedule.js';

/** Options of {@link stepDecay}. */
export interface StepDecayOptions {
  /** Learning rate of the first `stepSize` updates. */
  lr: number;
  /**
   * Updates between drops (a positive integer). For "every n epochs" pass
   * n * iterationsPerEpoch(trainSize, batchSize) (from @tunelab/core).
   */
  stepSize: number;
  /** Factor applied at each drop, in (0, 1]. Default 0.1 (divide by 10). */
  gamma?: number;
}

/**
 * Step decay, lr_t = lr * gamma^floor(t / stepSize): constant, then multiplied by gamma every
 * stepSize updates (PyTorch's StepLR). Paper: He et al. 2016, "Deep Residual Learning for
 * Image Recognition", https://arxiv.org/abs/1512.03385 (lr divided by 10 at fixed iterations).
 */
export function stepDecay(options: StepDecayOptions): ScheduleWithConfig {
  const lr = nonNegative('stepDecay', 'lr', options.lr);
  const stepSize = positiveInteger('stepDecay', 'stepSize', options.stepSize);
  const gamma = fraction('stepDecay', 'gamma', options.gamma ?? 0.1);
  return {
    at(step) {
      checkStep('stepDecay', step);
      return lr * gamma ** Math.floor(step / stepSize);
    },
    config: () => ({ name: 'stepDecay', lr, stepSize, gamma }),
  };
}
