import type { Callback, Optimizer, Schedule } from '@tunelab/core';
import {
  adagrad,
  adam,
  adamw,
  constant,
  cosineAnnealing,
  earlyStopping,
  exponentialDecay,
  momentum,
  nesterov,
  perEpoch,
  reduceOnPlateau,
  rmsprop,
  sgd,
  stepDecay,
  stopWhen,
  timeDecay,
  warmup,
} from '@tunelab/optimizers';
import type { Experiment } from '../schema/experiment.js';

/** Builds the experiment's optimizer. */
export function buildOptimizer(config: Experiment['optimizer']): Optimizer {
  const { name, ...options } = config;
  switch (name) {
    case 'sgd':
      return sgd(options as Parameters<typeof sgd>[0]);
    case 'momentum':
      return momentum(options as Parameters<typeof momentum>[0]);
    case 'nesterov':
      return nesterov(options as Parameters<typeof nesterov>[0]);
    case 'adam':
      return adam(options);
    case 'adamw':
      return adamw(options);
    case 'rmsprop':
      return rmsprop(options as Parameters<typeof rmsprop>[0]);
    case 'adagrad':
      return adagrad(options as Parameters<typeof adagrad>[0]);
  }
}

/**
 * The learning rate per update: the schedule (from optimizer.lr; per iteration, or per epoch
 * with `per: 'epoch'`), after a linear warm-up when asked. Undefined for a constant rate.
 */
export function buildSchedule(
  experiment: Experiment,
  iterationsPerEpoch: number,
): Schedule | undefined {
  const lr = experiment.optimizer.lr;
  const config = experiment.schedule;
  let schedule: Schedule | undefined;
  if (config) {
    const byIteration = (() => {
      switch (config.name) {
        case 'constant':
          return constant(lr);
        case 'timeDecay':
          return timeDecay({ lr, decay: config.decay });
        case 'stepDecay':
          return stepDecay({
            lr,
            stepSize: config.stepSize,
            ...(config.gamma !== undefined ? { gamma: config.gamma } : {}),
          });
        case 'exponentialDecay':
          return exponentialDecay({ lr, gamma: config.gamma });
        case 'cosineAnnealing':
          return cosineAnnealing({
            lr,
            tMax: config.tMax,
            ...(config.etaMin !== undefined ? { etaMin: config.etaMin } : {}),
            ...(config.restarts !== undefined ? { restarts: config.restarts } : {}),
            ...(config.tMult !== undefined ? { tMult: config.tMult } : {}),
          });
        case 'reduceOnPlateau': {
          const { name: _name, ...options } = config;
          return reduceOnPlateau({ lr, ...options });
        }
      }
    })();
    schedule =
      'per' in config && config.per === 'epoch'
        ? perEpoch(byIteration, iterationsPerEpoch)
        : byIteration;
  }
  if (experiment.warmup) schedule = warmup(schedule ?? constant(lr), { steps: experiment.warmup });
  return schedule;
}

/** The stopping callbacks the experiment asks for (checkpoint-best is added by the run, which owns the writer). */
export function buildStoppingCallbacks(experiment: Experiment): Callback[] {
  const callbacks: Callback[] = [];
  const early = experiment.callbacks?.earlyStopping;
  if (early) {
    callbacks.push(
      earlyStopping({
        monitor: early.monitor,
        patience: early.patience,
        restoreBestWeights: early.restoreBestWeights,
        ...(early.mode ? { mode: early.mode } : {}),
        ...(early.minDelta !== undefined ? { minDelta: early.minDelta } : {}),
      }),
    );
  }
  const when = experiment.callbacks?.stopWhen;
  if (when && (when.gl !== undefined || when.pq || when.up)) callbacks.push(stopWhen(when));
  return callbacks;
}
