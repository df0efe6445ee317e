// Helpers for the callback tests (not exported from the package).
import * as tf from '@tensorflow/tfjs-core';
import {
  type EpochLogs,
  Module,
  type Optimizer,
  type Parameter,
  type TrainingContext,
} from '@tunelab/core';

/** Two weights and a buffer; `set(e)` makes them [e, -e] and [10 e] to tell epochs apart. */
export class Tiny extends Module {
  readonly type = 'Tiny';
  readonly weight: Parameter;
  readonly count: tf.Variable;
  constructor() {
    super();
    this.weight = this.addParameter('weight', tf.tensor1d([0, 0]));
    this.count = this.addBuffer('count', tf.tensor1d([0]));
  }
  forward(x: tf.Tensor): tf.Tensor {
    return tf.mul(x, this.weight.variable);
  }
  set(e: number): void {
    tf.tidy(() => {
      this.weight.variable.assign(tf.tensor1d([e, -e]));
      this.count.assign(tf.tensor1d([10 * e]));
    });
  }
  values(): number[] {
    return [...this.weight.variable.dataSync(), ...this.count.dataSync()];
  }
}

/** A TrainingContext without a loop: records stop requests. */
export function fakeContext(model: Module, optimizer: Optimizer) {
  const stops: Array<{ reason: string; detail: string | undefined }> = [];
  const ctx: TrainingContext = {
    model,
    optimizer,
    epochs: 100,
    batchSize: 1,
    batchesPerEpoch: 1,
    trainSize: 1,
    stop(reason = 'stopped', detail) {
      stops.push({ reason, detail });
    },
    get stopRequested() {
      return stops.length > 0;
    },
  };
  return { ctx, stops };
}

/** EpochLogs for epoch `epoch` (1 update per epoch) with the given metrics. */
export function epochLogs(epoch: number, metrics: Record<string, number>): EpochLogs {
  return { epoch, step: epoch, samples: epoch, seconds: 0, lr: 0.1, metrics };
}
