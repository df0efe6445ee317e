/**
 * tunelab: the command line, and the helpers experiment files import.
 * @packageDocumentation
 */

export {
  defineExperiment,
  type Experiment,
  type ExperimentInput,
  experimentSchema,
} from '@tunelab/experiment';
export type { LoadedExperiment } from '@tunelab/experiment/node';
export { createProgram, main } from './cli.js';
export { EXIT } from './errors.js';
export { loadExperimentFile as loadExperiment } from './experiment-file.js';
