/**
 * @tunelab/experiment/node: the Node.js parts of the experiment pipeline: loading experiment
 * files, reading datasets from disk, run directories, PNG images and replica threads.
 * @packageDocumentation
 */
export { type PreparedData, prepareData } from './data/prepare.js';
export { type LoadedExperiment, type LoadOptions, loadExperiment } from './node/load.js';
export {
  autoReplicaCount,
  MIN_MACS_FOR_REPLICAS,
  MIN_MACS_PER_PARAMETER,
  modelCost,
  startModelReplicas,
} from './node/replicas.js';
export { writeRunArtifacts } from './run/artifacts.js';
export { type TrainContext, type TrainResult, trainExperiment } from './run/run.js';
