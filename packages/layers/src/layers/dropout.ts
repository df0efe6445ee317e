import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '@tunelab/core';
import { Pointwise } from './pointwise.js';

/** Options of {@link Dropout}. */
export interface DropoutArgs {
  /** Probability of zeroing each element in training, in [0, 1). */
  rate: number;
  /** Generator of the masks: each training call draws a fresh seed from it. */
  rng: Rng;
}

/**
 * Dropout: in training mode each element is zeroed with probability `rate` and the survivors
 * are scaled by 1 / (1 - rate) ("inverted" dropout, so the expected output equals the input
 * and evaluation needs no rescaling); in evaluation mode the input passes through unchanged.
 * Masks are reproducible: the n-th training call of two layers built from equal generators
 * drops the same elements. Input and output any shape.
 * Training: y = x * mask / (1 - rate), mask_i ~ Bernoulli(1 - rate); evaluation: y = x.
 * ```ts
 * const drop = new Dropout({ rate: 0.5, rng: Rng.fromSeed(1) });
 * drop.train();
 * drop.forward(tf.ones([4, 4])); // about half the values 0, the others 2
 * ```
 * Paper: Srivastava et al. 2014, "Dropout: A Simple Way to Prevent Neural Networks from
 * Overfitting", https://jmlr.org/papers/v15/srivastava14a.html
 */
export class Dropout extends Pointwise {
  readonly type = 'Dropout';
  /**
   * Probability p of zeroing each element in training mode; survivors are scaled by 1 / (1 - p).
   */
  readonly rate: number;
  readonly #rng: Rng;

  constructor(args: DropoutArgs) {
    super();
    if (!(args.rate >= 0 && args.rate < 1)) {
      throw new Error(`Dropout: rate must be in [0, 1), got ${args.rate}`);
    }
    this.rate = args.rate;
    this.#rng = args.rng;
  }

  forward(x: tf.Tensor): tf.Tensor {
    if (!this.training || this.rate === 0) return x;
    return tf.dropout(x, this.rate, undefined, this.#rng.nextUint32());
  }
}
