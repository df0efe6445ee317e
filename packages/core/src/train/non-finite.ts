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
