/**
 * Node.js-only parts of @tunelab/core: run directories on disk (durable writes, the writer's
 * liveness), the environment record, data-parallel replicas on worker threads and turning on
 * wasm relaxed SIMD where it is behind a flag.
 * @packageDocumentation
 */
export { checkRunDirectory } from './node/check-run.js';
export {
  appendFileDurable,
  type DurableFs,
  describeWriteFailure,
  ensureWritableFolder,
  FileWriteError,
  isTempName,
  useDurableFs,
  writeFileDurable,
} from './node/durable-write.js';
export { describeEnvironment } from './node/environment.js';
export { currentStatus, isProcessAlive, thisWriter } from './node/liveness.js';
export { enableWasmRelaxedSimd, hasWasmRelaxedSimd } from './node/relaxed-simd.js';
export {
  type ExportRef,
  type StartReplicasOptions,
  serveReplica,
  startReplicas,
} from './node/replicas.js';
export { listRuns, type RunOnDisk, readRun } from './node/run-reader.js';
export { RunWriter } from './node/run-writer.js';
export { type SimulatedDisk, simulatedDisk } from './node/simulated-disk.js';
// recordRun and NewRun live in the browser-safe part (re-exported here for existing imports).
export { type NewRun, type RecordRunOptions, recordRun } from './record/index.js';
