import { Rng } from '@tunelab/core';
import { type Initializer, zeros } from '../init/initializers.js';

/** Options shared by the ready models (every field has a per-model default). */
export interface ModelArgs {
  /** Shape of one input example, e.g. [28, 28, 1] or [224, 224, 3]. */
  inputShape?: readonly number[];
  /** Number of output logits. */
  classes?: number;
  /**
   * Keep the classifier head. Default true. false ends the model at its features (each
   * model's documentation says where); `classes` is then unused.
   */
  head?: boolean;
  /** Seed (or generator) for the initial weights. Default 0. */
  seed?: number | Rng;
  /**
   * 'random' (default) draws initial weights; 'zeros' leaves kernels at zero without drawing
   * a number: instant even for VGG, for summaries or when weights will be loaded next.
   */
  init?: 'random' | 'zeros';
}

/** The generator behind `seed`. */
export function rngOf(seed: number | Rng | undefined): Rng {
  return seed === undefined || typeof seed === 'number' ? Rng.fromSeed(seed ?? 0) : seed;
}

/** `initializer`, or zeros when the model is built with init: 'zeros'. */
export function kernelInit(args: ModelArgs, initializer: Initializer): Initializer {
  return args.init === 'zeros' ? zeros : initializer;
}

/** Checks an image input shape [height, width, channels] for model `model`. */
export function imageInput(model: string, shape: readonly number[]): [number, number, number] {
  if (shape.length !== 3 || !shape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new Error(`${model}: inputShape must be [height, width, channels], got [${shape}]`);
  }
  return [shape[0]!, shape[1]!, shape[2]!];
}

/** Checks a class count for model `model`. */
export function classCount(model: string, classes: number): number {
  if (!Number.isInteger(classes) || classes < 1) {
    throw new Error(`${model}: classes must be a positive integer, got ${classes}`);
  }
  return classes;
}
