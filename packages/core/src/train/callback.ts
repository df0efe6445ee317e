import type { Module } from '../module/module.js';
import type { Optimizer } from './optimizer.js';

type Awaitable<T> = T | Promise<T>;

/** Per-epoch numbers: epoch (1-based), step, samples, seconds, lr, and metrics by name. */
export interface EpochLogs {
  readonly epoch: number;
  /** Updates applied since the start of training. */
  readonly step: number;
  /** Training examples processed since the start of training. */
  readonly samples: number;
  /** Wall-clock seconds since training started. */
  readonly seconds: number;
  /** Learning rate of the epoch's last update. */
  readonly lr: number;
  /** trainLoss, trainAccuracy, valLoss, valAccuracy, ... */
  readonly metrics: Readonly<Record<string, number>>;
}

/**
 * A periodic evaluation: metrics of the model after `samples` training examples, on a
 * subset of the training set (trainLoss, trainAccuracy) and on the validation set
 * (valLoss, valAccuracy). `epoch` is fractional: samples / training-set size.
 */
export interface EvaluationLogs {
  readonly epoch: number;
  readonly step: number;
  readonly samples: number;
  readonly seconds: number;
  readonly metrics: Readonly<Record<string, number>>;
}

/** Progress after one batch. Running values refresh every `logEvery` batches (`fresh`). */
export interface BatchLogs {
  readonly epoch: number;
  /** 1-based batch number within the epoch. */
  readonly batch: number;
  readonly batchesPerEpoch: number;
  readonly step: number;
  readonly samples: number;
  readonly lr: number;
  /** True when the running metrics were just read from the backend. */
  readonly fresh: boolean;
  /** Running means over the epoch so far: loss, accuracy, ... */
  readonly metrics: Readonly<Record<string, number>>;
}

/** Why training ended. */
export type StopReason = 'completed' | 'stopped' | 'interrupted';

/** What {@link fit} returns. */
export interface History {
  readonly epochs: readonly EpochLogs[];
  readonly stopReason: StopReason;
  /** Free text from whoever stopped training (e.g. "GL_5 exceeded at epoch 7"). */
  readonly stopDetail?: string | undefined;
}

/** What callbacks see and can do. */
export interface TrainingContext {
  readonly model: Module;
  readonly optimizer: Optimizer;
  readonly epochs: number;
  readonly batchSize: number;
  readonly batchesPerEpoch: number;
  readonly trainSize: number;
  /** Ends training after the current batch (early stopping, user interrupt). */
  stop(reason?: StopReason, detail?: string): void;
  readonly stopRequested: boolean;
}

/**
 * Hooks into the training loop. Every method is optional and may be async; the loop
 * awaits each in order.
 */
export interface Callback {
  onTrainBegin?(context: TrainingContext): Awaitable<void>;
  /**
   * When fit continues a run (its `resumeFrom`), right after onTrainBegin: the epochs already
   * done, so stateful callbacks (stopping criteria) can rebuild their state.
   */
  onResume?(history: readonly EpochLogs[], context: TrainingContext): Awaitable<void>;
  onEpochBegin?(epoch: number, context: TrainingContext): Awaitable<void>;
  onBatchEnd?(logs: BatchLogs, context: TrainingContext): Awaitable<void>;
  onEpochEnd?(logs: EpochLogs, context: TrainingContext): Awaitable<void>;
  /** After each periodic evaluation (fit's `evaluateEvery`), mid-epoch included. */
  onEvaluation?(logs: EvaluationLogs, context: TrainingContext): Awaitable<void>;
  onTrainEnd?(history: History, context: TrainingContext): Awaitable<void>;
}
