import { buildCriteria, type CriterionKey, type StoppingCriteria } from './criteria.js';

/** Where each criterion given would have stopped: a 1-based epoch, or null if it never fires. */
export type StoppingPoints = { [K in CriterionKey]?: number | null } & {
  /** 1-based epoch of the lowest validation error (the first, on ties). */
  bestEpoch: number;
};

/** Options of {@link stoppingPoints}. */
export interface StoppingPointsOptions {
  /** Training error per epoch, same length as the validation errors; needed by `pq`. */
  trainingErrors?: readonly number[];
}

/**
 * Replays a finished run's validation errors (one per epoch, lower is better) through the
 * criteria given and returns, per criterion, the 1-based epoch after which it would have
 * stopped training (null when it never fires), plus `bestEpoch`. Runs the same criterion
 * objects as the {@link stopWhen} callback. Paper: Prechelt 1998, "Early Stopping - But When?",
 * https://doi.org/10.1007/3-540-49430-8_3
 *
 * ```ts
 * stoppingPoints([1, 0.8, 0.7, 0.75, 0.9], { gl: 5, patience: 2 }); // { gl: 4, patience: 5, bestEpoch: 3 }
 * ```
 */
export function stoppingPoints(
  validationErrors: readonly number[],
  criteria: StoppingCriteria,
  options: StoppingPointsOptions = {},
): StoppingPoints {
  const points: StoppingPoints = { bestEpoch: lowestEpoch('stoppingPoints', validationErrors) };
  for (const [key, stop] of Object.entries(
    replay('stoppingPoints', validationErrors, options.trainingErrors, criteria),
  )) {
    points[key as CriterionKey] = stop.epoch;
  }
  return points;
}

/** One criterion's verdict on a finished run. */
export interface CriterionStop {
  /** The criterion with its parameters, e.g. 'GL_5'. */
  readonly criterion: string;
  /** 1-based epoch after which it stops, or null. */
  readonly epoch: number | null;
  /** Why it stops (e.g. "GL = 6.25 > 5"), or null. */
  readonly reason: string | null;
}

/** What {@link analyzeStopping} reports. */
export interface StoppingAnalysis {
  /** Epochs in the run (the length of the validation curve). */
  readonly epochs: number;
  /** 1-based epoch of the lowest validation error (the first, on ties), and that error. */
  readonly bestEpoch: number;
  /** The lowest validation error, E_opt at the end of the run. */
  readonly bestValidationError: number;
  /**
   * The first epoch t after which the validation error rises while the training error still
   * falls: E_va(t + 1) > E_va(t) and E_tr(t + 1) < E_tr(t). null when no epoch does. On noisy
   * curves this is the first such wiggle; `bestEpoch` and the criteria tell where a lasting
   * rise began.
   */
  readonly overfittingEpoch: number | null;
  /** What each criterion given would have done, by its key ('gl', 'pq', 'up', 'patience'). */
  readonly stops: Readonly<Partial<Record<CriterionKey, CriterionStop>>>;
}

/**
 * Reads a finished run's curves (one error per epoch each, lower is better): where the
 * validation error was lowest, where overfitting began (see
 * {@link StoppingAnalysis.overfittingEpoch}) and where each criterion given would have stopped.
 * ```ts
 * const curves = { validation: [1, 0.8, 0.7, 0.75, 0.9], training: [1.2, 0.9, 0.7, 0.6, 0.5] };
 * const analysis = analyzeStopping(curves, { gl: 5 });
 * analysis.stops.gl?.epoch; // 4: GL(4) = 100 (0.75 / 0.7 - 1) = 7.14 > 5
 * analysis.overfittingEpoch; // 3: validation rises after epoch 3 while training falls
 * ```
 * Paper: Prechelt 1998, "Early Stopping - But When?", https://doi.org/10.1007/3-540-49430-8_3
 */
export function analyzeStopping(
  curves: { readonly validation: readonly number[]; readonly training: readonly number[] },
  criteria: StoppingCriteria = {},
): StoppingAnalysis {
  const { validation, training } = curves;
  const bestEpoch = lowestEpoch('analyzeStopping', validation);
  let overfittingEpoch: number | null = null;
  const stops = replay('analyzeStopping', validation, training, criteria);
  for (let t = 1; t < validation.length; t++) {
    // Arrays are 0-based: epoch t is index t - 1, epoch t + 1 is index t.
    if (validation[t]! > validation[t - 1]! && training[t]! < training[t - 1]!) {
      overfittingEpoch = t;
      break;
    }
  }
  return {
    epochs: validation.length,
    bestEpoch,
    bestValidationError: validation[bestEpoch - 1]!,
    overfittingEpoch,
    stops,
  };
}

/** Feeds the curves to fresh criteria epoch by epoch; records where each first fires. */
function replay(
  where: string,
  validation: readonly number[],
  training: readonly number[] | undefined,
  criteria: StoppingCriteria,
): { [K in CriterionKey]?: CriterionStop } {
  const built = buildCriteria(where, criteria);
  if (training !== undefined && training.length !== validation.length) {
    throw new Error(
      `${where}: got ${validation.length} validation errors but ${training.length} training errors; expected one of each per epoch`,
    );
  }
  const needing = built.find(([, c]) => c.needsTraining);
  if (needing && training === undefined) {
    throw new Error(
      `${where}: criterion ${needing[0]} (${needing[1].name}) needs training errors; pass { trainingErrors } as the third argument`,
    );
  }
  const stops: { [K in CriterionKey]?: CriterionStop } = {};
  for (const [key, criterion] of built) {
    let stop: CriterionStop = { criterion: criterion.name, epoch: null, reason: null };
    for (let i = 0; i < validation.length; i++) {
      const reason = criterion.update(validation[i]!, training?.[i]);
      if (reason !== null) {
        stop = { criterion: criterion.name, epoch: i + 1, reason };
        break;
      }
    }
    stops[key] = stop;
  }
  return stops;
}

function lowestEpoch(where: string, errors: readonly number[]): number {
  if (errors.length === 0) throw new Error(`${where}: the validation curve is empty`);
  let best = 0;
  errors.forEach((e, i) => {
    if (e < errors[best]! || Number.isNaN(errors[best]!)) best = i;
  });
  return best + 1;
}
