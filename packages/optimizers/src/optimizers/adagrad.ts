import * as tf from '@tensorflow/tfjs-core';
import { type CommonOptions, SlotOptimizer, type Slots } from './base.js';
import { checkEpsilon, type EpsilonPlacement, rootWithEpsilon } from './epsilon.js';

/** Options of {@link adagrad}. */
export interface AdagradOptions extends Partial<CommonOptions> {
  /**
   * Starting value of every entry of the accumulator of squared gradients, >= 0. Default 0
   * (the paper's and PyTorch's; tf.train.adagrad uses 0.1).
   */
  initialAccumulatorValue?: number;
  /** Keeps the denominator away from zero (the paper's delta). Default 1e-10 (PyTorch's). */
  epsilon?: number;
  /**
   * 'outside': denom = sqrt(acc) + eps (default, the paper's and PyTorch's); 'inside':
   * sqrt(acc + eps) (tf.train.adagrad). See {@link EpsilonPlacement}.
   */
  epsilonPlacement?: EpsilonPlacement;
}

class Adagrad extends SlotOptimizer {
  readonly name = 'adagrad';
  protected readonly slotNames = ['accumulator'] as const;
  readonly #initial: number;
  readonly #epsilon: number;
  readonly #placement: EpsilonPlacement;

  constructor(options: AdagradOptions) {
    super({ ...options, lr: options.lr ?? 0.01 } as CommonOptions);
    this.#initial = options.initialAccumulatorValue ?? 0;
    if (!(this.#initial >= 0))
      throw new Error(
        `adagrad: initialAccumulatorValue must be a non-negative number, got ${this.#initial}`,
      );
    this.#epsilon = options.epsilon ?? 1e-10;
    this.#placement = checkEpsilon('adagrad', this.#epsilon, options.epsilonPlacement);
  }

  protected override slotInitialValue(): number {
    return this.#initial;
  }

  protected rule(w: tf.Tensor, g: tf.Tensor, slots: Slots, lr: number): tf.Tensor {
    // acc <- acc + g^2;  w <- w - lr g / (sqrt(acc) + eps)
    const acc = tf.add(slots.accumulator!, tf.square(g));
    slots.accumulator!.assign(acc);
    return tf.sub(w, tf.mul(tf.div(g, rootWithEpsilon(acc, this.#epsilon, this.#placement)), lr));
  }

  override config(): Record<string, unknown> {
    return {
      ...super.config(),
      initialAccumulatorValue: this.#initial,
      epsilon: this.#epsilon,
      epsilonPlacement: this.#placement,
    };
  }
}

/**
 * Adagrad (lr default 0.01): per-entry step sizes shrinking with the sum of all squared
 * gradients so far, acc <- acc + g^2, w <- w - lr g / (sqrt(acc) + eps).
 *
 * Differences from tf.train.adagrad(lr, initialAccumulatorValue = 0.1): it starts the
 * accumulator at 0.1 and divides by sqrt(acc + 1e-7); `adagrad({ initialAccumulatorValue:
 * 0.1, epsilon: 1e-7, epsilonPlacement: 'inside' })` is the same optimizer.
 *
 * Paper: Duchi, Hazan & Singer 2011, "Adaptive Subgradient Methods for Online Learning and
 * Stochastic Optimization", JMLR 12, https://jmlr.org/papers/v12/duchi11a.html (the diagonal
 * update with delta outside the root).
 */
export function adagrad(options: AdagradOptions = {}): SlotOptimizer {
  return new Adagrad(options);
}
