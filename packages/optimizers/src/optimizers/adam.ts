import * as tf from '@tensorflow/tfjs-core';
import { type CommonOptions, SlotOptimizer, type Slots } from './base.js';

/** Options of {@link adam} and {@link adamw}. */
export interface AdamOptions extends Partial<CommonOptions> {
  /** Decay of the first-moment estimate. Default 0.9. */
  beta1?: number;
  /** Decay of the second-moment estimate. Default 0.999. */
  beta2?: number;
  /** Added to sqrt(v_hat) in the denominator. Default 1e-8 (the paper's; tf.train.adam uses 1e-7). */
  epsilon?: number;
}

class Adam extends SlotOptimizer {
  readonly name: string;
  protected readonly slotNames = ['m', 'v'] as const;
  readonly #beta1: number;
  readonly #beta2: number;
  readonly #epsilon: number;
  readonly #decoupled: boolean;

  constructor(options: AdamOptions, decoupled: boolean) {
    super({ ...options, lr: options.lr ?? 1e-3 } as CommonOptions);
    this.#beta1 = options.beta1 ?? 0.9;
    this.#beta2 = options.beta2 ?? 0.999;
    this.#epsilon = options.epsilon ?? 1e-8;
    for (const [key, v] of [
      ['beta1', this.#beta1],
      ['beta2', this.#beta2],
    ] as const) {
      if (!(v >= 0 && v < 1)) throw new Error(`adam: ${key} must be in [0, 1), got ${v}`);
    }
    if (!(this.#epsilon > 0))
      throw new Error(`adam: epsilon must be positive, got ${this.#epsilon}`);
    this.#decoupled = decoupled;
    this.name = decoupled ? 'adamw' : 'adam';
  }

  protected override get couplesWeightDecay(): boolean {
    return !this.#decoupled;
  }

  protected rule(w: tf.Tensor, g: tf.Tensor, slots: Slots, lr: number, t: number): tf.Tensor {
    const b1 = this.#beta1;
    const b2 = this.#beta2;
    // m <- b1 m + (1 - b1) g;  v <- b2 v + (1 - b2) g^2
    const m = tf.add(tf.mul(slots.m!, b1), tf.mul(g, 1 - b1));
    const v = tf.add(tf.mul(slots.v!, b2), tf.mul(tf.square(g), 1 - b2));
    slots.m!.assign(m);
    slots.v!.assign(v);
    // w <- w - lr * m_hat / (sqrt(v_hat) + eps), m_hat = m / (1 - b1^t), v_hat = v / (1 - b2^t)
    const mHat = tf.div(m, 1 - b1 ** t);
    const vHat = tf.div(v, 1 - b2 ** t);
    let step = tf.div(mHat, tf.add(tf.sqrt(vHat), this.#epsilon));
    const decay = this.options.weightDecay ?? 0;
    if (this.#decoupled && decay > 0) step = tf.add(step, tf.mul(w, decay));
    return tf.sub(w, tf.mul(step, lr));
  }

  override config(): Record<string, unknown> {
    return { ...super.config(), beta1: this.#beta1, beta2: this.#beta2, epsilon: this.#epsilon };
  }
}

/**
 * Adam with bias correction (lr default 1e-3). `weightDecay` here is the coupled L2 penalty.
 * m <- b1 m + (1 - b1) g, v <- b2 v + (1 - b2) g^2, w <- w - lr m_hat / (sqrt(v_hat) + eps)
 * with m_hat = m / (1 - b1^t), v_hat = v / (1 - b2^t). The first step moves each weight by lr
 * times the sign of its gradient: from w = 1 with g = w and lr = 0.1, w = 0.9, then 0.80041.
 * Paper: Kingma & Ba 2014, "Adam: A Method for Stochastic Optimization",
 * https://arxiv.org/abs/1412.6980 (Algorithm 1).
 */
export function adam(options: AdamOptions = {}): SlotOptimizer {
  return new Adam(options, false);
}

/**
 * AdamW: Adam with decoupled weight decay, w <- w - lr (m_hat / (sqrt(v_hat) + eps) + wd * w)
 * (PyTorch's form; weightDecay default 0.01).
 * Paper: Loshchilov & Hutter 2017, "Decoupled Weight Decay Regularization",
 * https://arxiv.org/abs/1711.05101
 */
export function adamw(options: AdamOptions = {}): SlotOptimizer {
  return new Adam({ ...options, weightDecay: options.weightDecay ?? 0.01 }, true);
}
