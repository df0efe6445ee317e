import type * as tf from '@tensorflow/tfjs-core';
import type { Parameter } from '../module/parameter.js';

/** A parameter and its gradient for one update. */
export type GradientPair = readonly [parameter: Parameter, gradient: tf.Tensor];

/** Saved optimizer state: the step count and each parameter's slots (moments...). */
export interface OptimizerState {
  /** Updates applied so far (the t of Adam's bias correction). */
  readonly iterations: number;
  /** Each parameter's slots by name, e.g. { m, v } for Adam. */
  readonly slots: ReadonlyMap<Parameter, Readonly<Record<string, tf.Tensor>>>;
}

/**
 * Updates parameters in place from their gradients. Implementations live in
 * @tunelab/optimizers; the training loop only needs this contract.
 */
export interface Optimizer {
  /** Short name for logs and run records ('sgd', 'adam'). */
  readonly name: string;
  /** Learning rate used when the loop has no schedule. */
  readonly learningRate: number;
  /** Updates applied so far (Adam's bias correction uses it). */
  readonly iterations: number;
  /**
   * Applies one update. Frozen parameters (trainable === false) are skipped. Does not take
   * ownership of the gradients.
   */
  applyGradients(gradients: readonly GradientPair[], learningRate?: number): void;
  /** Options as plain JSON (for the run record). */
  config(): Record<string, unknown>;
  /** Current state; tensors are references owned by the optimizer. */
  getState(): OptimizerState;
  /** Replaces the state (copies the tensors). */
  setState(state: OptimizerState): void;
  /** Frees the slots (moments, velocities). */
  dispose(): void;
}
