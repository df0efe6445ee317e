import * as tf from '@tensorflow/tfjs-core';
import type { Callback, EpochLogs, History, TrainingContext } from '@tunelab/core';
import { defaultMode, type MonitorOptions, readMetric } from '../monitor.js';
import { type PatienceCriterion, patienceCriterion } from './patience.js';

/** Options of {@link earlyStopping}; `monitor` defaults to 'valLoss'. */
export interface EarlyStoppingOptions extends MonitorOptions {
  /** Epochs without improvement that stop training, a positive integer. Default 10. */
  patience?: number;
  /**
   * Keep a copy of the weights (parameters and buffers) from the best epoch and load it back
   * into the model when training ends, however it ends. Default true.
   */
  restoreBestWeights?: boolean;
}

/**
 * Patience early stopping on any epoch metric: stops training once `patience` epochs in a row
 * fail to improve it (see {@link patienceCriterion}), with
 * ctx.stop('stopped', 'patience 5 stopped training at epoch 12: ...'), and by default puts
 * the best epoch's weights back. The copy is freed when training ends; if fit throws before
 * onTrainEnd, call `dispose()`.
 * Paper: Prechelt 1998, "Early Stopping - But When?", https://doi.org/10.1007/3-540-49430-8_3
 */
export function earlyStopping(options: EarlyStoppingOptions = {}): EarlyStopping {
  return new EarlyStopping(options);
}

/** The callback {@link earlyStopping} returns; see there. */
export class EarlyStopping implements Callback {
  /** The epoch metric watched ('valLoss' by default). */
  readonly monitor: string;
  readonly #options: Required<Pick<EarlyStoppingOptions, 'patience' | 'mode' | 'minDelta'>>;
  readonly #restore: boolean;
  #criterion: PatienceCriterion;
  #bestEpoch = 0;
  #bestWeights: Map<string, tf.Tensor> | null = null;

  constructor(options: EarlyStoppingOptions) {
    this.monitor = options.monitor ?? 'valLoss';
    this.#options = {
      patience: options.patience ?? 10,
      mode: options.mode ?? defaultMode(this.monitor),
      minDelta: options.minDelta ?? 0,
    };
    this.#restore = options.restoreBestWeights ?? true;
    this.#criterion = patienceCriterion(this.#options, 'earlyStopping'); // checks the options now
  }

  /** The training epoch (as in EpochLogs.epoch) with the best value, 0 before any. */
  get bestEpoch(): number {
    return this.#bestEpoch;
  }

  /** The best value of the monitored metric so far (+-Infinity before any epoch). */
  get bestValue(): number {
    return this.#criterion.bestValue;
  }

  /** Starts a fresh patience count (and frees weights kept from an earlier fit). */
  onTrainBegin(): void {
    this.dispose();
    this.#criterion = patienceCriterion(this.#options, 'earlyStopping');
    this.#bestEpoch = 0;
  }

  /**
   * Replays the epochs done before a resume. The weights of a best epoch before the last one
   * are no longer in memory: if such an epoch stays best, the weights are not restored (use
   * checkpointBest to keep them on disk).
   */
  onResume(history: readonly EpochLogs[], ctx: TrainingContext): void {
    for (const logs of history) {
      this.#criterion.update(readMetric('earlyStopping', logs.metrics, this.monitor));
      if (this.#criterion.bestEpoch === this.#criterion.epochs) this.#bestEpoch = logs.epoch;
    }
    // The model holds the last epoch's weights: keep a copy only if that epoch is the best.
    if (this.#restore && this.#bestEpoch === history.at(-1)?.epoch) {
      this.#bestWeights = new Map(
        [...ctx.model.stateDict()].map(([name, t]) => [name, tf.clone(t)]),
      );
    }
  }

  /**
   * Updates the count; keeps the weights if this epoch is the best; asks fit to stop when patience
   * runs out.
   */
  onEpochEnd(logs: EpochLogs, ctx: TrainingContext): void {
    const reason = this.#criterion.update(readMetric('earlyStopping', logs.metrics, this.monitor));
    if (this.#criterion.bestEpoch === this.#criterion.epochs) {
      this.#bestEpoch = logs.epoch;
      if (this.#restore) {
        this.dispose();
        this.#bestWeights = new Map(
          [...ctx.model.stateDict()].map(([name, t]) => [name, tf.clone(t)]),
        );
      }
    }
    if (reason !== null)
      ctx.stop(
        'stopped',
        `${this.#criterion.name} stopped training at epoch ${logs.epoch}: ${reason}`,
      );
  }

  /** Loads the best epoch's weights back (when kept) and frees the copy. */
  onTrainEnd(_history: History, ctx: TrainingContext): void {
    if (this.#bestWeights) ctx.model.loadStateDict(this.#bestWeights);
    this.dispose();
  }

  /** Frees the copy of the best weights, if one is held. */
  dispose(): void {
    if (this.#bestWeights) tf.dispose([...this.#bestWeights.values()]);
    this.#bestWeights = null;
  }
}
