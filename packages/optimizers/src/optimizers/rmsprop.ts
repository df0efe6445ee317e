import * as tf from '@tensorflow/tfjs-core';
import { type CommonOptions, SlotOptimizer, type Slots } from './base.js';
import { checkEpsilon, type EpsilonPlacement, rootWithEpsilon } from './epsilon.js';

/** Options of {@link rmsprop}. */
export interface RmspropOptions extends Partial<CommonOptions> {
  /**
   * Decay of the running mean of squared gradients, ms <- rho ms + (1 - rho) g^2, in [0, 1).
   * Default 0.9 (the lecture's, and tf.train.rmsprop's `decay`; PyTorch's `alpha` is 0.99).
   */
  rho?: number;
  /** Momentum mu in [0, 1) on the scaled step: b <- mu b + g / denom, w <- w - lr b. Default 0. */
  momentum?: number;
  /**
   * Centered form: divides by the running standard deviation, sqrt(ms - mg^2), where
   * mg <- rho mg + (1 - rho) g is the running mean gradient (Graves 2013). Default false.
   */
  centered?: boolean;
  /** Keeps the denominator away from zero. Default 1e-8 (PyTorch's; tf.train uses 1e-7). */
  epsilon?: number;
  /**
   * 'outside': denom = sqrt(ms) + eps (default, PyTorch); 'inside': sqrt(ms + eps)
   * (tf.train.rmsprop). See {@link EpsilonPlacement}.
   */
  epsilonPlacement?: EpsilonPlacement;
}

class RmsProp extends SlotOptimizer {
  readonly name = 'rmsprop';
  protected readonly slotNames: readonly string[];
  readonly #rho: number;
  readonly #momentum: number;
  readonly #centered: boolean;
  readonly #epsilon: number;
  readonly #placement: EpsilonPlacement;

  constructor(options: RmspropOptions) {
    super({ ...options, lr: options.lr ?? 1e-3 } as CommonOptions);
    this.#rho = options.rho ?? 0.9;
    this.#momentum = options.momentum ?? 0;
    this.#centered = options.centered ?? false;
    this.#epsilon = options.epsilon ?? 1e-8;
    for (const [key, v] of [
      ['rho', this.#rho],
      ['momentum', this.#momentum],
    ] as const) {
      if (!(v >= 0 && v < 1)) throw new Error(`rmsprop: ${key} must be in [0, 1), got ${v}`);
    }
    this.#placement = checkEpsilon('rmsprop', this.#epsilon, options.epsilonPlacement);
    this.slotNames = [
      'ms',
      ...(this.#centered ? ['mg'] : []),
      ...(this.#momentum > 0 ? ['momentum'] : []),
    ];
  }

  protected rule(w: tf.Tensor, g: tf.Tensor, slots: Slots, lr: number): tf.Tensor {
    const rho = this.#rho;
    // ms <- rho ms + (1 - rho) g^2
    const ms = tf.add(tf.mul(slots.ms!, rho), tf.mul(tf.square(g), 1 - rho));
    slots.ms!.assign(ms);
    let s = ms;
    if (this.#centered) {
      // mg <- rho mg + (1 - rho) g;  s = ms - mg^2 (a running variance)
      const mg = tf.add(tf.mul(slots.mg!, rho), tf.mul(g, 1 - rho));
      slots.mg!.assign(mg);
      s = tf.sub(ms, tf.square(mg));
    }
    let step = tf.div(g, rootWithEpsilon(s, this.#epsilon, this.#placement));
    if (this.#momentum > 0) {
      // b <- mu b + g / denom;  w <- w - lr b
      step = tf.add(tf.mul(slots.momentum!, this.#momentum), step);
      slots.momentum!.assign(step);
    }
    return tf.sub(w, tf.mul(step, lr));
  }

  override config(): Record<string, unknown> {
    return {
      ...super.config(),
      rho: this.#rho,
      momentum: this.#momentum,
      centered: this.#centered,
      epsilon: this.#epsilon,
      epsilonPlacement: this.#placement,
    };
  }
}

/**
 * RMSProp (lr default 1e-3): divides each gradient by a running root mean square of its
 * recent values, ms <- rho ms + (1 - rho) g^2, w <- w - lr g / (sqrt(ms) + eps); optional
 * momentum and centered forms, see {@link RmspropOptions}.
 *
 * Differences from tf.train.rmsprop(lr, decay, momentum, epsilon, centered):
 * - tf.train adds epsilon inside the root; pass `epsilonPlacement: 'inside'` (and
 *   `epsilon: 1e-7`, its default) to match it.
 * - tf.train's momentum buffer holds lr * g / denom; ours holds g / denom and multiplies by
 *   the step's lr, so a schedule's new rate applies at once (PyTorch's convention). With a
 *   constant rate the two are the same.
 * - tf.train's centered form (4.22) computes sqrt(ms - mg^2 - eps), subtracting epsilon;
 *   ours adds it, sqrt(ms - mg^2 + eps) with 'inside' (TensorFlow's own ApplyCenteredRMSProp).
 *
 * Paper: Tieleman & Hinton 2012, "Lecture 6.5 - rmsprop: Divide the gradient by a running
 * average of its recent magnitude", COURSERA: Neural Networks for Machine Learning,
 * https://www.cs.toronto.edu/~tijmen/csc321/slides/lecture_slides_lec6.pdf ; centered form:
 * Graves 2013, "Generating Sequences With Recurrent Neural Networks", eq. 38-45,
 * https://arxiv.org/abs/1308.0850
 */
export function rmsprop(options: RmspropOptions = {}): SlotOptimizer {
  return new RmsProp(options);
}
