/**
 * Node.js-only parts of @tunelab/core: run directories on disk and the environment record.
 * @packageDocumentation
 */
export { describeEnvironment } from './node/environment.js';
export { listRuns, type RunOnDisk, readRun } from './node/run-reader.js';
export { RunWriter } from './node/run-writer.js';
// recordRun and NewRun live in the browser-safe part (re-exported here for existing imports).
export { type NewRun, type RecordRunOptions, recordRun } from './record/index.js';
