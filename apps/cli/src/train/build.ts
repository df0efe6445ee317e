import type { Module, Optimizer, Rng } from '@tunelab/core';
import { mlp } from '@tunelab/layers';
import { adam, adamw, momentum, nesterov, sgd } from '@tunelab/optimizers';
import type { Experiment } from '../experiment/schema.js';

/** Builds the experiment's model for inputs of `inputShape` and `classes` outputs. */
export function buildModel(
  config: Experiment['model'],
  inputShape: readonly number[],
  classes: number,
  rng: Rng,
): Module {
  switch (config.name) {
    case 'mlp':
      return mlp({
        inputShape,
        hidden: config.hidden,
        classes,
        activation: config.activation,
        seed: rng,
      });
  }
}

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
  }
}
