/**
 * @tunelab/optimizers: optimizers and learning-rate schedules for @tunelab/core's training loop.
 * @packageDocumentation
 */
export { type AdamOptions, adam, adamw } from './optimizers/adam.js';
export { type CommonOptions, SlotOptimizer, type Slots } from './optimizers/base.js';
export { momentum, nesterov, type SgdOptions, sgd } from './optimizers/sgd.js';
export { constant } from './schedules/constant.js';
