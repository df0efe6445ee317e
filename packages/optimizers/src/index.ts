/**
 * @tunelab/optimizers: optimizers, learning-rate schedules and stopping criteria for
 * @tunelab/core's training loop.
 * @packageDocumentation
 */
export { BestValue, defaultMode, type Mode, type MonitorOptions } from './monitor.js';
export { type AdagradOptions, adagrad } from './optimizers/adagrad.js';
export { type AdamOptions, adam, adamw } from './optimizers/adam.js';
export { type CommonOptions, SlotOptimizer, type Slots } from './optimizers/base.js';
export type { EpsilonPlacement } from './optimizers/epsilon.js';
export { type RmspropOptions, rmsprop } from './optimizers/rmsprop.js';
export { momentum, nesterov, type SgdOptions, sgd } from './optimizers/sgd.js';
export { constant } from './schedules/constant.js';
export { type CosineAnnealingOptions, cosineAnnealing } from './schedules/cosine-annealing.js';
export { type ExponentialDecayOptions, exponentialDecay } from './schedules/exponential-decay.js';
export { perEpoch } from './schedules/per-epoch.js';
export {
  type PlateauSchedule,
  type ReduceOnPlateauOptions,
  reduceOnPlateau,
} from './schedules/reduce-on-plateau.js';
export type { ScheduleWithConfig } from './schedules/schedule.js';
export { type StepDecayOptions, stepDecay } from './schedules/step-decay.js';
export { type TimeDecayOptions, timeDecay } from './schedules/time-decay.js';
export { type WarmupOptions, warmup } from './schedules/warmup.js';
export { type CallbacksConfig, callbacksSchema } from './schema/callbacks.js';
export { type OptimizerConfig, optimizerSchema } from './schema/optimizer.js';
export { type ScheduleConfig, scheduleSchema } from './schema/schedule.js';
export {
  analyzeStopping,
  type CriterionStop,
  type StoppingAnalysis,
  type StoppingPoints,
  type StoppingPointsOptions,
  stoppingPoints,
} from './stopping/analysis.js';
export {
  type ArtifactWriter,
  CheckpointBest,
  type CheckpointBestOptions,
  checkpointBest,
} from './stopping/checkpoint-best.js';
export type { CriterionKey, StoppingCriteria } from './stopping/criteria.js';
export type { StoppingCriterion } from './stopping/criterion.js';
export {
  EarlyStopping,
  type EarlyStoppingOptions,
  earlyStopping,
} from './stopping/early-stopping.js';
export {
  type PatienceCriterion,
  type PatienceOptions,
  patienceCriterion,
} from './stopping/patience.js';
export {
  generalizationLoss,
  glCriterion,
  type PqOptions,
  pqCriterion,
  trainingProgress,
  type UpOptions,
  upCriterion,
} from './stopping/prechelt.js';
export { type StopWhenOptions, stopWhen } from './stopping/stop-when.js';
