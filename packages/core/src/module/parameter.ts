import * as tf from '@tensorflow/tfjs-core';
import { gradientsRegistered } from '../tf/gradients.js';

/**
 * A named, trainable-or-frozen tensor owned by a {@link Module}. Holds a tf.Variable so
 * optimizers update it in place; freezing flips `trainable` and optimizers skip it.
 * `new Parameter(tf.zeros([784, 128])).shape` is [784, 128]; `p.trainable = false` freezes it.
 */
export class Parameter {
  /** The tensor itself; optimizers assign to it in place. */
  readonly variable: tf.Variable;

  /** Takes ownership of `initial` (disposes it once copied into the variable). */
  constructor(initial: tf.Tensor, trainable = true) {
    // A parameter is there to be differentiated: referencing the flag keeps tfjs's gradient
    // registrations in a bundle that uses parameters but not fit (the package has no side effects).
    if (!gradientsRegistered) throw new Error('tfjs gradients are not registered');
    this.variable = tf.variable(initial, trainable);
    initial.dispose();
  }

  /** False when frozen: optimizers skip it and autodiff takes no gradient. */
  get trainable(): boolean {
    return this.variable.trainable;
  }

  /** Freezes (false) or unfreezes (true) the parameter. */
  set trainable(value: boolean) {
    this.variable.trainable = value;
  }

  /** The tensor's shape, e.g. [784, 128] for a Linear kernel. */
  get shape(): number[] {
    return this.variable.shape;
  }

  /** Number of scalar entries. */
  get size(): number {
    return this.variable.size;
  }

  /** Replaces the value (shape and dtype must match). */
  assign(value: tf.Tensor): void {
    if (!tf.util.arraysEqual(value.shape, this.variable.shape)) {
      throw new Error(
        `Parameter.assign: expected shape [${this.variable.shape}], got [${value.shape}]`,
      );
    }
    this.variable.assign(value);
  }

  /** Frees the variable. */
  dispose(): void {
    this.variable.dispose();
  }
}
