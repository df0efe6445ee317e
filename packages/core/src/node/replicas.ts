// Data-parallel replicas on worker threads: the coordinator (the training thread's side) and
// the worker (each replica thread's side), which talk through ./replicas/protocol.ts.
export {
  type ExportRef,
  type StartReplicasOptions,
  serveReplica,
  startReplicas,
} from './replicas/coordinator.js';
