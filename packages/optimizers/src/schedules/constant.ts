import { nonNegative } from '../check.js';
import type { ScheduleWithConfig } from './schedule.js';

/** The same learning rate at every step: lr_t = lr. */
export function constant(lr: number): ScheduleWithConfig {
  nonNegative('constant', 'lr', lr);
  return { at: () => lr, config: () => ({ name: 'constant', lr }) };
}
