import { fraction, nonNegative } from '../check.js';
import { checkStep, type ScheduleWithConfig } from './schedule.js';

/** Options of {@link exponentialDecay}. */
export interface ExponentialDecayOptions {
  /** Learning rate at step 0. */
  lr: number;
  /**
   * Factor per update, in (0, 1]. To multiply by r every n updates use gamma = r^(1/n)
   * (0.5^(1/1000) halves the rate every 1000 updates); per epoch, wrap in {@link perEpoch}.
   */
  gamma: number;
}

/**
 * Exponential decay, lr_t = lr * gamma^t (PyTorch's ExponentialLR; TensorFlow's
 * exponential_decay with decay_steps = 1). Reference: no single paper; see Bengio 2012,
 * "Practical Recommendations for Gradient-Based Training of Deep Architectures",
 * https://arxiv.org/abs/1206.5533 (section 3.1, learning-rate schedules).
 */
export function exponentialDecay(options: ExponentialDecayOptions): ScheduleWithConfig {
  const lr = nonNegative('exponentialDecay', 'lr', options.lr);
  const gamma = fraction('exponentialDecay', 'gamma', options.gamma);
  return {
    at(step) {
      checkStep('exponentialDecay', step);
      return lr * gamma ** step;
    },
    config: () => ({ name: 'exponentialDecay', lr, gamma }),
  };
}
