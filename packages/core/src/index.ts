/**
 * @tunelab/core: the vocabulary every tunelab package shares.
 * @packageDocumentation
 */
export {
  BACKEND_ENV_VAR,
  type BrowserBackendLoaders,
  browserBackendCandidates,
  type ModuleImporter,
  nodeBackendCandidates,
} from './backend/candidates.js';
export {
  type BackendAttempt,
  type BackendCandidate,
  type BackendSelection,
  BackendSelectionError,
  BackendUnavailableError,
  isMissingPackage,
  type SelectBackendOptions,
  type SkipReason,
  selectBackend,
} from './backend/select.js';
export {
  CHECKPOINT_FORMAT,
  type CheckpointProgress,
  encodeCheckpoint,
  type RestoredCheckpoint,
  restoreCheckpoint,
} from './checkpoint/checkpoint.js';
export {
  type DecodedSafetensors,
  decodeSafetensors,
  encodeSafetensors,
  type StoredTensor,
} from './checkpoint/safetensors.js';
export { loadWeights, saveWeights } from './checkpoint/weights.js';
export { type BatchOptions, batchIndices, iterationsPerEpoch } from './data/batches.js';
export {
  ArrayDataset,
  type ArrayDatasetArgs,
  type Batch,
  type BatchTransform,
  type Dataset,
  mapBatches,
} from './data/dataset.js';
export { registerWasmTrainingKernels } from './kernels/index.js';
export { reluGrad } from './kernels/relu-grad.js';
export { simdKernelsBuild } from './kernels/simd-kernels.js';
export type {
  DenseChainLink,
  DenseLayerLink,
  FlattenLink,
  ReluLink,
} from './module/dense-chain.js';
export { Module } from './module/module.js';
export { Parameter } from './module/parameter.js';
export { type BatchNormTrainingResult, batchNormTraining } from './ops/batch-norm.js';
export {
  type FusedConv2dArgs,
  type FusedMatMulArgs,
  fusedConv2d,
  fusedMatMul,
  gradientsOfVariables,
} from './ops/fused.js';
export { type SgdRule, sgdUpdate } from './ops/sgd-update.js';
export { hashString, Rng } from './random/rng.js';
export * from './record/index.js';
export { gradientsRegistered } from './tf/gradients.js';
export type {
  BatchLogs,
  Callback,
  EpochLogs,
  EvaluationLogs,
  History,
  StopReason,
  TrainingContext,
} from './train/callback.js';
export { confusionOf, type EvaluateOptions, evaluate } from './train/evaluate.js';
export { type EvaluationPlan, evaluationPoints } from './train/evaluation-points.js';
export { type FitOptions, fit } from './train/fit.js';
export {
  binaryCrossEntropy,
  type LossFn,
  meanSquaredError,
  type Reduction,
  softmaxCrossEntropy,
} from './train/loss.js';
export {
  accuracy,
  confusionMatrix,
  type Metric,
  perClassAccuracy,
  RunningMean,
} from './train/metrics.js';
export { NonFiniteLossError } from './train/non-finite.js';
export type { GradientPair, Optimizer, OptimizerState } from './train/optimizer.js';
export {
  type GradientReplicas,
  type ReplicaResult,
  type ReplicaShare,
  shareSizes,
} from './train/replicas.js';
export type { Schedule } from './train/schedule.js';
