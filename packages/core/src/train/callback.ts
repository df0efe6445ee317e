import type { Module } from '../module/module.js';
import type { Optimizer } from './optimizer.js';

/** Per-epoch numbers: epoch (1-based), step, samples, seconds, lr, and metrics by name. */
export interface EpochLogs {
  /** The 1-based epoch just finished. */
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
  /** Epochs done, fractional: samples / training-set size. */
  readonly epoch: number;
  /** Updates applied so far. */
  readonly step: number;
  /** Training examples processed so far. */
  readonly samples: number;
  /** Wall-clock seconds since training started. */
  readonly seconds: number;
  /** trainLoss, trainAccuracy (on the training subset), valLoss, valAccuracy. */
  readonly metrics: Readonly<Record<string, number>>;
}

/** Progress after one batch. Running values refresh every `logEvery` batches (`fresh`). */
export interface BatchLogs {
  /** The 1-based epoch in progress. */
  readonly epoch: number;
  /** 1-based batch number within the epoch. */
  readonly batch: number;
  /** Batches in each epoch: ceil(trainSize / batchSize). */
  readonly batchesPerEpoch: number;
  /** Updates applied since the start of training, this one included. */
  readonly step: number;
  /** Training examples processed since the start of training. */
  readonly samples: number;
  /** Learning rate used for this batch's update. */
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
  /** One entry per epoch trained, in order. */
  readonly epochs: readonly EpochLogs[];
  /** 'completed' (all epochs), 'stopped' (a callback stopped it) or 'interrupted'. */
  readonly stopReason: StopReason;
  /** Free text from whoever stopped training (e.g. "GL_5 exceeded at epoch 7"). */
  readonly stopDetail?: string | undefined;
}

/** What callbacks see and can do. */
export interface TrainingContext {
  /** The model being trained. */
  readonly model: Module;
  /** The optimizer updating it. */
  readonly optimizer: Optimizer;
  /** Epochs planned. */
  readonly epochs: number;
  /** Examples per update. */
  readonly batchSize: number;
  /** Batches in each epoch: ceil(trainSize / batchSize). */
  readonly batchesPerEpoch: number;
  /** Examples in the training set. */
  readonly trainSize: number;
  /** Ends training after the current batch (early stopping, user interrupt). */
  stop(reason?: StopReason, detail?: string): void;
  /** True once `stop` has been called. */
  readonly stopRequested: boolean;
}

/**
 * Hooks into the training loop. Every method is optional and may be async; the loop
 * awaits each in order.
 */
export interface Callback {
  /** Before the first epoch. */
  onTrainBegin?(context: TrainingContext): void | Promise<void>;
  /**
   * When fit continues a run (its `resumeFrom`), right after onTrainBegin: the epochs already
   * done, so stateful callbacks (stopping criteria) can rebuild their state.
   */
  onResume?(history: readonly EpochLogs[], context: TrainingContext): void | Promise<void>;
  /** Before each epoch (1-based `epoch`). */
  onEpochBegin?(epoch: number, context: TrainingContext): void | Promise<void>;
  /** After each update. */
  onBatchEnd?(logs: BatchLogs, context: TrainingContext): void | Promise<void>;
  /** After each epoch, validation included. */
  onEpochEnd?(logs: EpochLogs, context: TrainingContext): void | Promise<void>;
  /** After each periodic evaluation (fit's `evaluateEvery`), mid-epoch included. */
  onEvaluation?(logs: EvaluationLogs, context: TrainingContext): void | Promise<void>;
  /** After the last epoch, or once training was stopped or interrupted. */
  onTrainEnd?(history: History, context: TrainingContext): void | Promise<void>;
}
