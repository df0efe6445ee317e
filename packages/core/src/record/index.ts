export * from './api.js';
export * from './artifacts.js';
export * from './directory.js';
export * from './format.js';
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
