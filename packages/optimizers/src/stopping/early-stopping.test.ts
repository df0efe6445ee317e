import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import {
  ArrayDataset,
  type Callback,
  fit,
  Module,
  type Parameter,
  Rng,
  softmaxCrossEntropy,
} from '@tunelab/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { sgd } from '../optimizers/sgd.js';
import { earlyStopping } from './early-stopping.js';
import { epochLogs, fakeContext, Tiny } from './testing.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('earlyStopping', () => {
  it('stops after `patience` epochs without improvement and restores the best weights', async () => {
    const model = new Tiny();
    const optimizer = sgd({ lr: 0.1 });
    const before = tf.memory().numTensors;
    const { ctx, stops } = fakeContext(model, optimizer);
    const cb = earlyStopping({ patience: 3 });
    cb.onTrainBegin();
    // best 0.4 at epoch 2; epochs 3, 4, 5 do not improve: stop after 5
    const va = [0.5, 0.4, 0.45, 0.47, 0.48];
    for (const [i, v] of va.entries()) {
      model.set(i + 1); // the weights of epoch e are [e, -e], buffer [10 e]
      cb.onEpochEnd(epochLogs(i + 1, { valLoss: v }), ctx);
    }
    expect(stops).toEqual([
      {
        reason: 'stopped',
        detail: 'patience 3 stopped training at epoch 5: no improvement for 3 epochs (best 0.4)',
      },
    ]);
    expect(cb.bestEpoch).toBe(2);
    expect(model.values()).toEqual([5, -5, 50]);
    cb.onTrainEnd({ epochs: [], stopReason: 'stopped' }, ctx);
    expect(model.values()).toEqual([2, -2, 20]);
    expect(tf.memory().numTensors).toBe(before); // the copies are freed
    model.dispose();
  });

  it('watches accuracy in max mode by default, and can leave the weights alone', () => {
    const model = new Tiny();
    const { ctx, stops } = fakeContext(model, sgd({ lr: 0.1 }));
    const cb = earlyStopping({ monitor: 'valAccuracy', patience: 1, restoreBestWeights: false });
    cb.onTrainBegin();
    const before = tf.memory().numTensors;
    for (const [i, v] of [0.6, 0.7, 0.65].entries()) {
      model.set(i + 1);
      cb.onEpochEnd(epochLogs(i + 1, { valAccuracy: v }), ctx);
    }
    expect(stops).toHaveLength(1);
    expect(cb.bestEpoch).toBe(2);
    cb.onTrainEnd({ epochs: [], stopReason: 'stopped' }, ctx);
    expect(model.values()).toEqual([3, -3, 30]);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('names a missing metric and bad options', () => {
    const model = new Tiny();
    const { ctx } = fakeContext(model, sgd({ lr: 0.1 }));
    const cb = earlyStopping();
    cb.onTrainBegin();
    expect(() => cb.onEpochEnd(epochLogs(1, { trainLoss: 1 }), ctx)).toThrow(
      'earlyStopping: monitored metric "valLoss" is not in the epoch\'s metrics (trainLoss)',
    );
    expect(() => earlyStopping({ patience: 1.5 })).toThrow(
      'earlyStopping: patience must be a positive integer, got 1.5',
    );
    expect(() => earlyStopping({ minDelta: -1 })).toThrow(
      'earlyStopping: minDelta must be a non-negative number, got -1',
    );
    model.dispose();
  });
});

class Linear extends Module {
  readonly type = 'Linear';
  readonly weight: Parameter;
  constructor() {
    super();
    this.weight = this.addParameter(
      'weight',
      tf.tensor2d(Rng.fromSeed(5).normalArray(6, 0, 0.1), [2, 3]),
    );
  }
  forward(x: tf.Tensor): tf.Tensor {
    return tf.matMul(x as tf.Tensor2D, this.weight.variable);
  }
}

describe("earlyStopping inside core's fit", () => {
  it("leaves the model with the weights of the epoch with the lowest valLoss in fit's history", async () => {
    const rng = Rng.fromSeed(3);
    const x = rng.normalArray(40 * 2);
    const y = Int32Array.from({ length: 40 }, (_, i) =>
      x[2 * i]! > 0 ? 0 : x[2 * i + 1]! > 0 ? 1 : 2,
    );
    // Labels flipped on the validation half make the validation loss rise as training fits.
    const train = new ArrayDataset({ x, y, inputShape: [2], numClasses: 3 });
    const validation = new ArrayDataset({
      x,
      y: y.map((c) => (c + 1) % 3),
      inputShape: [2],
      numClasses: 3,
    });
    const model = new Linear();
    const weightsByEpoch: number[][] = [];
    const recorder: Callback = {
      onEpochEnd: (logs, ctx) => {
        weightsByEpoch[logs.epoch] = Array.from(ctx.model.stateDict().get('weight')!.dataSync());
      },
    };
    const before = tf.memory().numTensors;
    const history = await fit(model, {
      train,
      validation,
      loss: softmaxCrossEntropy,
      optimizer: sgd({ lr: 0.5 }),
      epochs: 8,
      batchSize: 8,
      rng,
      callbacks: [recorder, earlyStopping({ patience: 3 })],
    });
    const losses = history.epochs.map((e) => e.metrics.valLoss!);
    const best = history.epochs[losses.indexOf(Math.min(...losses))]!.epoch;
    expect(best).toBeLessThan(history.epochs.length); // the weights did change afterwards
    expect(Array.from(model.weight.variable.dataSync())).toEqual(weightsByEpoch[best]);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
