/**
 * Node.js-only parts of @tunelab/core: run directories on disk and the environment record.
 * @packageDocumentation
 */
export { describeEnvironment } from './node/environment.js';
export { type RecordRunOptions, recordRun } from './node/recorder.js';
export { listRuns, type RunOnDisk, readRun } from './node/run-reader.js';
export { type NewRun, RunWriter } from './node/run-writer.js';
