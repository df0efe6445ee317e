import * as tf from '@tensorflow/tfjs-core';
import type { GradientPair, Optimizer, OptimizerState, Parameter } from '@tunelab/core';

/** Options every optimizer accepts. */
export interface CommonOptions {
  /** Learning rate (used when the training loop has no schedule). */
  lr: number;
  /**
   * L2 penalty: adds weightDecay * w to each gradient (coupled). AdamW applies it decoupled
   * instead, see {@link adamw}. Default 0.
   */
  weightDecay?: number;
  /** Clips each gradient entry to [-clipValue, clipValue] before the update. */
  clipValue?: number;
  /** Rescales all gradients together when their global L2 norm exceeds clipNorm. */
  clipNorm?: number;
}

/** Slot tensors of one parameter (moments, velocities), updated in place. */
export type Slots = Record<string, tf.Variable>;

/**
 * The one mechanism behind every optimizer here: per-parameter slots, optional gradient
 * clipping and L2 decay, then a rule that returns the parameter's new value. Frozen
 * parameters (trainable === false) are skipped and get no slots.
 * Each update: g <- clip(g) (+ weightDecay * w when coupled), then w <- rule(w, g, slots, lr).
 * ```ts
 * const opt = sgd({ lr: 0.1, clipNorm: 1 });
 * opt.applyGradients([[param, grad]]); // w <- w - 0.1 * g * min(1, 1 / ||g||)
 * ```
 */
export abstract class SlotOptimizer implements Optimizer {
  abstract readonly name: string;
  readonly learningRate: number;
  /** The options given, with `lr` resolved to its default. */
  protected readonly options: CommonOptions;
  #iterations = 0;
  readonly #slots = new Map<Parameter, Slots>();

  protected constructor(options: CommonOptions, defaults: { lr?: number } = {}) {
    const lr = options.lr ?? defaults.lr;
    if (typeof lr !== 'number' || !(lr >= 0))
      throw new Error(`optimizer: lr must be a non-negative number, got ${lr}`);
    for (const key of ['weightDecay', 'clipValue', 'clipNorm'] as const) {
      const v = options[key];
      if (v !== undefined && !(v >= 0))
        throw new Error(`optimizer: ${key} must be a non-negative number, got ${v}`);
    }
    this.learningRate = lr;
    this.options = { ...options, lr };
  }

  /** Names of the slots each parameter gets (e.g. ['m', 'v']). */
  protected abstract readonly slotNames: readonly string[];

  /**
   * Returns the new value of one parameter; may assign its slots. Runs inside tf.tidy.
   * `t` is the 1-based number of this update.
   */
  protected abstract rule(
    value: tf.Tensor,
    grad: tf.Tensor,
    slots: Slots,
    lr: number,
    t: number,
  ): tf.Tensor;

  get iterations(): number {
    return this.#iterations;
  }

  applyGradients(gradients: readonly GradientPair[], lr: number = this.learningRate): void {
    const active = gradients.filter(([p]) => p.trainable);
    const t = this.#iterations + 1;
    const { clipValue: clipsValue, clipNorm: clipsNorm } = this.options;
    if (clipsValue === undefined && clipsNorm === undefined && this.applyFused(active, lr, t)) {
      this.#iterations = t;
      return;
    }
    tf.tidy(() => {
      let grads = active.map(([, g]) => g);
      const { clipValue, clipNorm, weightDecay } = this.options;
      if (clipValue !== undefined)
        grads = grads.map((g) => tf.clipByValue(g, -clipValue, clipValue));
      if (clipNorm !== undefined && grads.length > 0) {
        const norm = tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g)))));
        // scale = clipNorm / max(norm, clipNorm): 1 when within the bound.
        const scale = tf.div(clipNorm, tf.maximum(norm, clipNorm));
        grads = grads.map((g) => tf.mul(g, scale));
      }
      active.forEach(([p], i) => {
        let g = grads[i]!;
        if (weightDecay && this.couplesWeightDecay) g = tf.add(g, tf.mul(p.variable, weightDecay));
        p.variable.assign(this.rule(p.variable, g, this.#slotsOf(p), lr, t));
      });
    });
    this.#iterations = t;
  }

  /**
   * Applies the whole update (coupled weight decay included) to every parameter of `active`
   * at once and returns true, or returns false to take the per-parameter {@link rule}. Called
   * only without clipping. The default returns false; SGD updates all parameters in one
   * kernel where the backend has one (core's sgdUpdate).
   */
  protected applyFused(_active: readonly GradientPair[], _lr: number, _t: number): boolean {
    return false;
  }

  /** The slots of `p`, created (zero-filled, or {@link slotInitialValue}) on first use. */
  protected slotsOf(p: Parameter): Slots {
    // The fill that seeds a new slot is freed by the tidy; the slot variable keeps its data.
    let slots: Slots | undefined;
    tf.tidy(() => {
      slots = this.#slotsOf(p);
    });
    return slots!;
  }

  /** Initial value of every entry of slot `name` (Adagrad's starting accumulator). Default 0. */
  protected slotInitialValue(_name: string): number {
    return 0;
  }

  /** False for optimizers that apply weight decay themselves (AdamW). */
  protected get couplesWeightDecay(): boolean {
    return true;
  }

  #slotsOf(p: Parameter): Slots {
    let slots = this.#slots.get(p);
    if (!slots) {
      slots = {};
      for (const name of this.slotNames) {
        // Runs inside applyGradients' tidy, which disposes the fill; the variable keeps its data.
        slots[name] = tf.variable(tf.fill(p.shape, this.slotInitialValue(name)), false);
      }
      this.#slots.set(p, slots);
    }
    return slots;
  }

  config(): Record<string, unknown> {
    return { name: this.name, ...this.options };
  }

  getState(): OptimizerState {
    return { iterations: this.#iterations, slots: new Map(this.#slots) };
  }

  setState(state: OptimizerState): void {
    // Check everything before touching the current state, so a bad state changes nothing.
    for (const [p, slots] of state.slots) {
      for (const name of this.slotNames) {
        const value = slots[name];
        if (!value) throw new Error(`${this.name}.setState: parameter state lacks slot "${name}"`);
        if (value.shape.join(',') !== p.shape.join(',')) {
          throw new Error(
            `${this.name}.setState: slot "${name}" has shape [${value.shape}], parameter has [${p.shape}]`,
          );
        }
      }
    }
    // A variable shares the tensor's (immutable) data: a copy without a stray handle. Copies
    // are made before the old slots are freed, so setState(getState()) works.
    const copies = new Map<Parameter, Slots>();
    for (const [p, slots] of state.slots) {
      const copy: Slots = {};
      for (const name of this.slotNames) copy[name] = tf.variable(slots[name]!, false);
      copies.set(p, copy);
    }
    this.#disposeSlots();
    for (const [p, copy] of copies) this.#slots.set(p, copy);
    this.#iterations = state.iterations;
  }

  /** Frees every parameter's slots; the optimizer starts afresh if used again. */
  dispose(): void {
    this.#disposeSlots();
  }

  #disposeSlots(): void {
    for (const slots of this.#slots.values()) for (const v of Object.values(slots)) v.dispose();
    this.#slots.clear();
  }
}
