export * from './api.js';
export * from './artifacts.js';
export * from './directory.js';
export * from './format.js';
export {
  type DerivedStatus,
  deriveStatus,
  HEARTBEAT_MS,
  type LivenessProbe,
  STALE_AFTER_MS,
} from './liveness.js';
export { type RecordRunOptions, recordRun } from './recorder.js';
export {
  type MemoryArtifact,
  MemoryRun,
  type NewRun,
  newRunRecord,
  type RunPatch,
  type RunSink,
} from './sink.js';
export * from './sweep.js';
