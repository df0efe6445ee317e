import type { Callback, EpochLogs, TrainingContext } from '@tunelab/core';
import { readMetric } from '../monitor.js';
import { buildCriteria, type CriterionKey, type StoppingCriteria } from './criteria.js';
import type { StoppingCriterion } from './criterion.js';

/** Options of {@link stopWhen}. */
export interface StopWhenOptions {
  /** The error the criteria watch (lower is better). Default 'valLoss'. */
  monitor?: string;
  /** The training error PQ needs. Default 'trainLoss'. */
  trainingMonitor?: string;
}

/**
 * A training callback that stops training after the first epoch at which any of the criteria
 * given fires (GL_alpha, PQ_alpha, UP_s, patience), with
 * ctx.stop('stopped', 'GL_5 stopped training at epoch 7: GL = 6.25 > 5'). The criteria are
 * the ones {@link stoppingPoints} replays, fresh for each training run.
 * Paper: Prechelt 1998, "Early Stopping - But When?", https://doi.org/10.1007/3-540-49430-8_3
 *
 * ```ts
 * await fit(model, { ..., callbacks: [stopWhen({ gl: 5, up: { s: 3, k: 5 } })] });
 * ```
 */
export function stopWhen(criteria: StoppingCriteria, options: StopWhenOptions = {}): Callback {
  const monitor = options.monitor ?? 'valLoss';
  const trainingMonitor = options.trainingMonitor ?? 'trainLoss';
  if (buildCriteria('stopWhen', criteria).length === 0)
    throw new Error('stopWhen: no criterion given (expected one or more of gl, pq, up, patience)');
  let active: Array<[CriterionKey, StoppingCriterion]> = [];
  return {
    onTrainBegin() {
      active = buildCriteria('stopWhen', criteria);
    },
    onResume(history: readonly EpochLogs[]) {
      // Feed the epochs already done through fresh criteria: state as if never interrupted.
      for (const logs of history) {
        const value = readMetric('stopWhen', logs.metrics, monitor);
        for (const [, criterion] of active) {
          criterion.update(
            value,
            criterion.needsTraining
              ? readMetric('stopWhen', logs.metrics, trainingMonitor)
              : undefined,
          );
        }
      }
    },
    onEpochEnd(logs: EpochLogs, ctx: TrainingContext) {
      const value = readMetric('stopWhen', logs.metrics, monitor);
      for (const [, criterion] of active) {
        const training = criterion.needsTraining
          ? readMetric('stopWhen', logs.metrics, trainingMonitor)
          : undefined;
        const reason = criterion.update(value, training);
        if (reason !== null) {
          ctx.stop(
            'stopped',
            `${criterion.name} stopped training at epoch ${logs.epoch}: ${reason}`,
          );
          return;
        }
      }
    },
  };
}
