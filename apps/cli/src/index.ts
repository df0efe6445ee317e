/**
 * tunelab: the command line, and the helpers experiment files import.
 * @packageDocumentation
 */
export { createProgram, main } from './cli.js';
export { EXIT } from './errors.js';
export { type LoadedExperiment, loadExperiment } from './experiment/load.js';
export {
  defineExperiment,
  type Experiment,
  type ExperimentInput,
  experimentSchema,
} from './experiment/schema.js';
