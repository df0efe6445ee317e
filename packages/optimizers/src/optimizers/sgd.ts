import * as tf from '@tensorflow/tfjs-core';
import { type GradientPair, sgdUpdate } from '@tunelab/core';
import { type CommonOptions, SlotOptimizer, type Slots } from './base.js';

/** Options of {@link sgd}. */
export interface SgdOptions extends CommonOptions {
  /** Momentum coefficient mu in [0, 1). Default 0 (plain SGD). */
  momentum?: number;
  /** Nesterov's look-ahead form. Needs momentum > 0. Default false. */
  nesterov?: boolean;
}

class Sgd extends SlotOptimizer {
  readonly name: string;
  protected readonly slotNames: readonly string[];
  readonly #momentum: number;
  readonly #nesterov: boolean;

  constructor(options: SgdOptions) {
    super(options);
    const momentum = options.momentum ?? 0;
    if (!(momentum >= 0 && momentum < 1))
      throw new Error(`sgd: momentum must be in [0, 1), got ${momentum}`);
    if (options.nesterov && momentum === 0) throw new Error('sgd: nesterov needs momentum > 0');
    this.#momentum = momentum;
    this.#nesterov = options.nesterov ?? false;
    this.name = this.#nesterov ? 'nesterov' : momentum > 0 ? 'momentum' : 'sgd';
    this.slotNames = momentum > 0 ? ['velocity'] : [];
  }

  protected rule(w: tf.Tensor, g: tf.Tensor, slots: Slots, lr: number): tf.Tensor {
    if (this.#momentum === 0) return tf.sub(w, tf.mul(g, lr));
    // v <- mu v + g;  w <- w - lr v   (Nesterov: w <- w - lr (g + mu v))
    const v = tf.add(tf.mul(slots.velocity!, this.#momentum), g);
    slots.velocity!.assign(v);
    const step = this.#nesterov ? tf.add(g, tf.mul(v, this.#momentum)) : v;
    return tf.sub(w, tf.mul(step, lr));
  }

  /** Every parameter in one kernel where the backend has one (fewer dispatches than the rule's ops). */
  protected override applyFused(active: readonly GradientPair[], lr: number): boolean {
    const velocities = this.#momentum > 0 ? active.map(([p]) => this.slotsOf(p).velocity!) : null;
    return sgdUpdate(
      active.map(([p]) => p.variable),
      active.map(([, g]) => g),
      velocities,
      {
        lr,
        momentum: this.#momentum,
        nesterov: this.#nesterov,
        weightDecay: this.options.weightDecay ?? 0,
      },
    );
  }

  override config(): Record<string, unknown> {
    return { ...super.config(), momentum: this.#momentum, nesterov: this.#nesterov };
  }
}

/**
 * Stochastic gradient descent, w <- w - lr * grad; with `momentum` mu the heavy-ball form
 * v <- mu v + grad, w <- w - lr v (PyTorch's and tf.train.momentum's convention), and with
 * `nesterov` the look-ahead update w <- w - lr (grad + mu v).
 * Paper: Robbins & Monro 1951; Polyak 1964 (momentum); Sutskever et al. 2013,
 * http://proceedings.mlr.press/v28/sutskever13.html (Nesterov momentum for deep learning).
 */
export function sgd(options: SgdOptions): SlotOptimizer {
  return new Sgd(options);
}

/**
 * SGD with heavy-ball momentum (default mu = 0.9). Paper: Polyak 1964.
 * v <- mu v + g, w <- w - lr v: from w = 1 with g = w, lr 0.1, mu 0.9, w = 0.9 then 0.72.
 */
export function momentum(options: CommonOptions & { momentum?: number }): SlotOptimizer {
  return new Sgd({ ...options, momentum: options.momentum ?? 0.9 });
}

/**
 * SGD with Nesterov momentum (default mu = 0.9). Paper: Sutskever et al. 2013.
 * w <- w - lr (g + mu v): from w = 1 with g = w, lr 0.1, mu 0.9, w = 0.81 then 0.5751.
 */
export function nesterov(options: CommonOptions & { momentum?: number }): SlotOptimizer {
  return new Sgd({ ...options, momentum: options.momentum ?? 0.9, nesterov: true });
}
