import * as tf from '@tensorflow/tfjs-core';
/**
 * Training diverged: the loss became NaN or infinite. Thrown by `fit` at the first logging
 * point after it happened, naming the first update whose loss was not finite, so the weights
 * in memory are no longer usable (restore the last finished epoch's checkpoint).
 * e.g. "training loss became NaN at step 1,234 (epoch 3, batch 17) with lr 1000000; the
 * weights of the last finished epoch are the last usable ones (lower the learning rate?)".
 */
export class NonFiniteLossError extends Error {
  /** The update (1-based, counted from the start of training) whose loss was not finite. */
  readonly step: number;
  /** The 1-based epoch it belongs to. */
  readonly epoch: number;
  /** Its 1-based batch within the epoch (0 for the validation loss at the epoch's end). */
  readonly batch: number;
  /** The learning rate of that update. */
  readonly lr: number;
  /** The value seen: NaN, Infinity or -Infinity. */
  readonly loss: number;
  /** 'training' (a batch's loss), or 'validation' / 'test' (the epoch's held-out loss). */
  readonly split: 'training' | 'validation' | 'test';

  constructor(details: {
    step: number;
    epoch: number;
    batch: number;
    lr: number;
    loss: number;
    split: 'training' | 'validation' | 'test';
  }) {
    const where =
      details.split === 'training'
        ? `training loss became ${details.loss} at step ${details.step.toLocaleString('en-US')} (epoch ${details.epoch}, batch ${details.batch})`
        : `${details.split} loss became ${details.loss} after epoch ${details.epoch} (step ${details.step.toLocaleString('en-US')})`;
    super(
      `${where} with lr ${details.lr}; the weights of the last finished epoch are the last usable ones (lower the learning rate?)`,
    );
    this.name = 'NonFiniteLossError';
    this.step = details.step;
    this.epoch = details.epoch;
    this.batch = details.batch;
    this.lr = details.lr;
    this.loss = details.loss;
    this.split = details.split;
  }
}

/** A batch's loss kept on the backend until the next read, with where it was computed. */
export interface PendingLoss {
  /** The batch's mean loss (disposed by whoever holds the list). */
  readonly value: tf.Scalar;
  /** The update's 1-based step. */
  readonly step: number;
  /** The batch's number in its epoch. */
  readonly batch: number;
  /** The learning rate of that update. */
  readonly lr: number;
}

/** Finds the first batch of `pending` whose loss is not finite (one read) and throws for it. */
export async function throwNonFinite(
  pending: readonly PendingLoss[],
  epoch: number,
  runningLoss: number,
): Promise<never> {
  let values: ArrayLike<number> = [];
  if (pending.length > 0) {
    const stacked = tf.stack(pending.map((p) => p.value));
    try {
      values = await stacked.data();
    } finally {
      stacked.dispose();
    }
  }
  const i = Array.from(values).findIndex((v) => !Number.isFinite(v));
  // Finite losses whose weighted sum overflowed: the last batch is where it happened.
  const at = pending[i >= 0 ? i : pending.length - 1]!;
  throw new NonFiniteLossError({
    step: at.step,
    epoch,
    batch: at.batch,
    lr: at.lr,
    loss: i >= 0 ? values[i]! : runningLoss,
    split: 'training',
  });
}
