import type { Parameter } from './parameter.js';

/** A dense layer of a {@link DenseChainLink} chain: y = act(x W + b). */
export interface DenseLayerLink {
  /** Marks a dense layer. */
  readonly kind: 'dense';
  /** W [inputs, outputs]. */
  readonly weight: Parameter;
  /** b [outputs]. */
  readonly bias: Parameter;
  /** Applied after the bias: relu or none. */
  readonly activation: 'relu' | 'linear';
}

/** Flattening to [batch, features] (a no-op on inputs that are already two-dimensional). */
export interface FlattenLink {
  /** Marks a flatten. */
  readonly kind: 'flatten';
}

/** relu applied to the previous dense layer's output (a separate ReLU module). */
export interface ReluLink {
  /** Marks a relu. */
  readonly kind: 'relu';
}

/**
 * One step of a module that is nothing but dense layers with relu or no activation, relus
 * and flattens: what {@link Module.denseChain} returns, so a training step of such a model can run
 * as one kernel where the backend has one (train/dense-step.ts).
 */
export type DenseChainLink = DenseLayerLink | FlattenLink | ReluLink;
