// Data-parallel replicas on worker threads: the coordinator (the training thread's side) and
// the worker (each replica thread's side), which talk through ./replicas/protocol.ts.
export { type StartReplicasOptions, startReplicas } from './replicas/coordinator.js';
export type { ExportRef } from './replicas/protocol.js';
export { serveReplica } from './replicas/worker.js';
