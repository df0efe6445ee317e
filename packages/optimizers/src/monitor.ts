import { checkMode, nonNegative } from './check.js';

/** Whether smaller ('min', losses and errors) or larger ('max', accuracies) is better. */
export type Mode = 'min' | 'max';

/** Options shared by everything that watches one metric for improvement. */
export interface MonitorOptions {
  /** Name of the epoch metric to watch, as in EpochLogs.metrics ('valLoss', 'valAccuracy'). */
  monitor?: string;
  /** Default: 'max' when the metric's name contains "accuracy" (any case), else 'min'. */
  mode?: Mode;
  /**
   * A change counts as an improvement only when it beats the best value so far by more than
   * minDelta (absolute, in the metric's units). Default 0.
   */
  minDelta?: number;
}

/**
 * 'max' for accuracies, 'min' for everything else (losses, errors).
 * `defaultMode('valAccuracy')` is 'max'; `defaultMode('valLoss')` is 'min'.
 */
export function defaultMode(monitor: string): Mode {
  return /accuracy/i.test(monitor) ? 'max' : 'min';
}

/**
 * The best value of a monitored metric so far and the 1-based update at which it was seen.
 * Improvement: value < best - minDelta ('min') or value > best + minDelta ('max'); the first
 * value always improves (best starts at +-Infinity); NaN never does.
 * ```ts
 * const best = new BestValue('example', 'min');
 * best.update(0.5); // true (the first value)
 * best.update(0.6); // false; best.value is 0.5, best.at 1
 * ```
 */
export class BestValue {
  /** 'min': lower is better (losses); 'max': higher is better (accuracies). */
  readonly mode: Mode;
  /** The margin an improvement must beat the best by (absolute). */
  readonly minDelta: number;
  #value: number;
  #at = 0;
  #seen = 0;

  constructor(where: string, mode: Mode, minDelta = 0) {
    this.mode = checkMode(where, mode);
    this.minDelta = nonNegative(where, 'minDelta', minDelta);
    this.#value = mode === 'min' ? Infinity : -Infinity;
  }

  /** Best value so far (+-Infinity before the first). */
  get value(): number {
    return this.#value;
  }

  /** 1-based count of the update that set the best value (0 before any). */
  get at(): number {
    return this.#at;
  }

  /** Records `value`; returns true when it improves on the best so far. */
  update(value: number): boolean {
    this.#seen++;
    const better =
      this.mode === 'min'
        ? value < this.#value - this.minDelta
        : value > this.#value + this.minDelta;
    if (better) {
      this.#value = value;
      this.#at = this.#seen;
    }
    return better;
  }
}

/** metrics[name], or an error that lists the metrics there are. */
export function readMetric(
  where: string,
  metrics: Readonly<Record<string, number>>,
  name: string,
): number {
  const value = metrics[name];
  if (typeof value !== 'number') {
    const names = Object.keys(metrics);
    throw new Error(
      `${where}: monitored metric "${name}" is not in the epoch's metrics (${names.length ? names.join(', ') : 'none'}); ` +
        'validation metrics need validation data in fit',
    );
  }
  return value;
}
