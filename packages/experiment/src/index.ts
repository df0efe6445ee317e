/**
 * @tunelab/experiment: the experiment recipe (browser-safe part): the experiment schema (each
 * library's options composed), the builders of its model, optimizer, schedule and callbacks,
 * the one pipeline that runs it (`runExperiment`), and sweep planning.
 * @packageDocumentation
 */
export {
  buildModel,
  constructModel,
  type ModelSources,
  type ModelTarget,
  modelRef,
} from './build/model.js';
export {
  buildOptimizer,
  buildSchedule,
  buildStoppingCallbacks,
} from './build/training.js';
export { applyInit, type RunArtifactReader } from './build/transfer.js';
export { type ExperimentData, type PreparedData, prepareData } from './data/prepare.js';
export { ExperimentError } from './errors.js';
export { type RunArtifactsInput, writeRunArtifacts } from './run/artifacts.js';
export { checkpointEachEpoch, runCallbacks } from './run/callbacks.js';
export { type ResumePoint, restoreRun } from './run/resume.js';
export {
  type ExperimentResult,
  type ReplicaProvider,
  type ResumeRun,
  type RunExperimentOptions,
  runExperiment,
} from './run/run.js';
export { describeValue } from './schema/describe-value.js';
export {
  defineExperiment,
  type Experiment,
  type ExperimentInput,
  evaluationSchema,
  experimentSchema,
  type JsonExperiment,
  jsonExperimentSchema,
} from './schema/experiment.js';
export { formatIssues } from './schema/issues.js';
export { experimentJsonSchema } from './schema/json-schema.js';
export {
  anyModelSchema,
  type BuilderModel,
  fileModelSchema,
  type InitConfig,
  initSchema,
  type JsonModelConfig,
  layerListModelSchema,
  type ModelBuildContext,
  type ModelBuilder,
  type ModelConfig,
  modelSchema,
  zooModelSchema,
} from './schema/model.js';
export { formatPath, getPath, type PathKey, parsePath, setPath } from './schema/paths.js';
export { type SweepSpec, sweepSchema } from './schema/sweep.js';
export {
  checkSelectionMetric,
  halvingRungs,
  planTrials,
  type Range,
  type Trial,
} from './sweep/plan.js';
export { describeValues } from './sweep/trials.js';
