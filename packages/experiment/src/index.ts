/**
 * @tunelab/experiment: the experiment recipe (browser-safe part): the validated experiment
 * schema, the builders of its model, optimizer, schedule and callbacks, and sweep planning.
 * @packageDocumentation
 */
export {
  buildModel,
  buildOptimizer,
  buildSchedule,
  buildStoppingCallbacks,
  modelRef,
} from './build/training.js';
export { ExperimentError } from './errors.js';
export {
  callbacksSchema,
  dataSchema,
  defineExperiment,
  type Experiment,
  type ExperimentInput,
  evaluationSchema,
  experimentSchema,
  modelSchema,
  optimizerSchema,
  type SweepSpec,
  scheduleSchema,
  sweepSchema,
} from './schema/experiment.js';
export { formatIssues } from './schema/issues.js';
export {
  halvingRungs,
  planDigest,
  planTrials,
  type Range,
  setPath,
  type Trial,
} from './sweep/plan.js';
