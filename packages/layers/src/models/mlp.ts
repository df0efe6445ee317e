import type { Module } from '@tunelab/core';
import { Rng } from '@tunelab/core';
import { glorotUniform, heUniform } from '../init/initializers.js';
import { type ActivationName, activation } from '../layers/activations.js';
import { Flatten } from '../layers/flatten.js';
import { Linear } from '../layers/linear.js';
import { Sequential } from '../layers/sequential.js';
import { kernelInit, type ModelArgs } from './args.js';

/** Options of {@link mlp}. */
export interface MlpArgs {
  /** Shape of one input example; flattened first. E.g. [28, 28, 1]. */
  inputShape: readonly number[];
  /** Widths of the hidden layers, e.g. [128] or [256, 128]. May be empty (softmax regression). */
  hidden: readonly number[];
  /** Number of output logits (classes). */
  classes: number;
  /** Activation after each hidden layer. Default 'relu'. */
  activation?: ActivationName;
  /** Seed (or generator) for the initial weights. */
  seed: number | Rng;
  /** Keep the output layer. Default true; false ends at the last hidden activation. */
  head?: boolean;
  /** 'random' (default) or 'zeros' (no random draws; see {@link ModelArgs.init}). */
  init?: ModelArgs['init'];
}

/**
 * A multi-layer perceptron: Flatten, then Linear + activation per hidden width, then a
 * Linear to `classes` logits. Input [batch, ...inputShape]; output [batch, classes].
 * ReLU layers start from He-uniform weights, others from Glorot-uniform. head: false drops
 * the output Linear (output [batch, last hidden width]).
 * Parameters: sum over layers of (in + 1) * out; for 784-128-10 that is
 * 785 * 128 + 129 * 10 = 101,770.
 * ```ts
 * const model = mlp({ inputShape: [28, 28, 1], hidden: [128], classes: 10, seed: 1 });
 * ```
 */
export function mlp(args: MlpArgs): Sequential {
  const rng = typeof args.seed === 'number' ? Rng.fromSeed(args.seed) : args.seed;
  const act = args.activation ?? 'relu';
  const layers: Module[] = [new Flatten()];
  let width = args.inputShape.reduce((a, b) => a * b, 1);
  args.hidden.forEach((units, i) => {
    layers.push(
      new Linear({
        inputs: width,
        outputs: units,
        rng: rng.fork(`hidden${i}`),
        kernelInit: kernelInit(args, act === 'relu' ? heUniform : glorotUniform),
      }),
    );
    layers.push(activation(act));
    width = units;
  });
  if (args.head !== false) {
    layers.push(
      new Linear({
        inputs: width,
        outputs: args.classes,
        kernelInit: kernelInit(args, glorotUniform),
        rng: rng.fork('output'),
      }),
    );
  }
  return new Sequential(layers);
}
