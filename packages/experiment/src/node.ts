/**
 * @tunelab/experiment/node: the Node.js parts of the experiment pipeline: loading experiment
 * files, reading datasets from disk, builder files, run directories, PNG images and replica
 * threads.
 * @packageDocumentation
 */
export { openExperimentData } from './node/data.js';
export { planDigest } from './node/digest.js';
export { dryRun, type PlannedRun } from './node/dry-run.js';
export { importBuilder, importFile } from './node/import.js';
export { type LoadedExperiment, type LoadOptions, loadExperiment } from './node/load.js';
export { buildReplicaModel } from './node/replica-model.js';
export {
  autoReplicaCount,
  MIN_MACS_FOR_REPLICAS,
  MIN_MACS_PER_PARAMETER,
  modelCost,
  type NodeReplicasOptions,
  nodeReplicas,
  startModelReplicas,
} from './node/replicas.js';
export { nodeModelSources } from './node/sources.js';
export { type TrainContext, type TrainResult, trainExperiment } from './node/train.js';
