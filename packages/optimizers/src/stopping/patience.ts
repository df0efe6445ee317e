import { positiveInteger } from '../check.js';
import { BestValue, type Mode } from '../monitor.js';
import { formatValue, type StoppingCriterion } from './criterion.js';

/** Options of {@link patienceCriterion}. */
export interface PatienceOptions {
  /** Epochs without improvement that stop training, a positive integer. */
  patience: number;
  /** 'min' (default) for losses and errors, 'max' for accuracies. */
  mode?: Mode;
  /** Improvement means beating the best value so far by more than minDelta. Default 0. */
  minDelta?: number;
}

/** A patience criterion, which also tells where its best value was. */
export interface PatienceCriterion extends StoppingCriterion {
  /** 1-based count of the update that set the best value (0 before any). */
  readonly bestEpoch: number;
  /** The best value so far (+-Infinity before any). */
  readonly bestValue: number;
  /** Updates seen so far. */
  readonly epochs: number;
}

/**
 * Patience: stop after the first epoch t with t - t_best >= patience, where t_best is the last
 * epoch that improved the monitored value (see {@link BestValue}). With patience 3 and the best
 * value at epoch 4, training stops after epoch 7.
 * `where` names the caller in error messages.
 * `patienceCriterion({ patience: 2 })` fed 1, 0.8, 0.7, 0.75, 0.9 fires at the fifth value
 * (5 - 3 = 2 epochs without improvement).
 * Paper: Prechelt 1998, "Early Stopping - But When?" (stopping once the validation error has
 * not improved for some time); Keras EarlyStopping for min_delta and the monitored metric.
 */
export function patienceCriterion(options: PatienceOptions, where = 'patience'): PatienceCriterion {
  const patience = positiveInteger(where, 'patience', options.patience);
  const best = new BestValue(where, options.mode ?? 'min', options.minDelta ?? 0);
  let epochs = 0;
  return {
    name: `patience ${patience}`,
    needsTraining: false,
    get bestEpoch() {
      return best.at;
    },
    get bestValue() {
      return best.value;
    },
    get epochs() {
      return epochs;
    },
    update(value) {
      epochs++;
      if (best.update(value)) return null;
      const since = epochs - best.at;
      return since >= patience
        ? `no improvement for ${since} epoch${since === 1 ? '' : 's'} (best ${formatValue(best.value)})`
        : null;
    },
  };
}
