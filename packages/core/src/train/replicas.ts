import type * as tf from '@tensorflow/tfjs-core';
import type { Module } from '../module/module.js';

/**
 * A share of one batch for a replica: its inputs and labels (int32 class ids or float32
 * rows). The caller owns the tensors; the replicas read them during `send`.
 */
export interface ReplicaShare {
  /** The share's inputs, [examples, ...]. */
  readonly x: tf.Tensor;
  /** Its labels: int32 class ids [examples] or float32 rows [examples, ...]. */
  readonly y: tf.Tensor;
}

/** What a replica computed on its share. */
export interface ReplicaResult {
  /** Gradient of the (mean) loss over the share, per index into `model.parameters()`; only trainable ones. */
  readonly grads: ReadonlyMap<number, Float32Array>;
  /** The loss over the share (a mean over its examples). */
  readonly loss: number;
  /** The model's outputs on the share, row-major, for the streaming metrics. */
  readonly outputs: Float32Array;
  /** The shape of `outputs`, [examples, ...]. */
  readonly outputsShape: readonly number[];
}

/**
 * Copies of the model in other threads, each computing the gradient of a share of every
 * training batch (data parallelism). {@link fit} splits each batch into `count + 1` shares,
 * hands `count` of them to the replicas with the current weights, computes the first share
 * itself meanwhile, and averages the gradients weighted by share size, which equals the
 * gradient over the whole batch for a loss that is a mean over examples. The Node.js
 * implementation is `startReplicas` in `@tunelab/core/node` (worker threads, one tfjs
 * backend each): it lets a CPU backend that runs on one thread (wasm in Node) use every core.
 */
export interface GradientReplicas {
  /** How many replicas (threads) besides the caller. */
  readonly count: number;
  /**
   * Sends the model's current weights (every parameter and buffer, and which parameters are
   * trainable) and one share to each of the first `shares.length` replicas, which start at
   * once: the caller computes its own share meanwhile, then calls {@link receive}.
   */
  send(model: Module, shares: readonly ReplicaShare[]): void;
  /** The results of the last {@link send}, in the order of its shares; rejects naming the replica that failed. */
  receive(): Promise<ReplicaResult[]>;
  /** Stops the replicas' threads. */
  close(): Promise<void>;
}

/**
 * Sizes of `parts` contiguous shares of `n` examples, the first ones larger by one where `n`
 * does not divide: 10 into 3 is [4, 3, 3]; a share may be 0 when n < parts.
 */
export function shareSizes(n: number, parts: number): number[] {
  const base = Math.floor(n / parts);
  const extra = n % parts;
  return Array.from({ length: parts }, (_, i) => base + (i < extra ? 1 : 0));
}
