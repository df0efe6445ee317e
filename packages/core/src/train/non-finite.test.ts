import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ArrayDataset } from '../data/dataset.js';
import { Module } from '../module/module.js';
import type { Parameter } from '../module/parameter.js';
import { Rng } from '../random/rng.js';
import type { EpochLogs } from './callback.js';
import { fit } from './fit.js';
import { type LossFn, meanSquaredError, softmaxCrossEntropy } from './loss.js';
import { NonFiniteLossError } from './non-finite.js';
import type { GradientPair, Optimizer, OptimizerState } from './optimizer.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** y = x W + b. */
class Linear extends Module {
  readonly type = 'Linear';
  readonly weight: Parameter;
  readonly bias: Parameter;
  constructor(inputs: number, outputs: number) {
    super();
    const rng = Rng.fromSeed(1);
    this.weight = this.addParameter(
      'weight',
      tf.tensor2d(rng.normalArray(inputs * outputs, 0, 0.1), [inputs, outputs]),
    );
    this.bias = this.addParameter('bias', tf.zeros([outputs]));
  }
  forward(x: tf.Tensor): tf.Tensor {
    return tf.add(tf.matMul(x as tf.Tensor2D, this.weight.variable), this.bias.variable);
  }
}

/** w <- w - lr * g. */
function sgd(learningRate: number): Optimizer {
  let iterations = 0;
  return {
    name: 'sgd',
    learningRate,
    get iterations() {
      return iterations;
    },
    applyGradients(gradients: readonly GradientPair[], lr = learningRate) {
      tf.tidy(() => {
        for (const [p, g] of gradients) p.variable.assign(tf.sub(p.variable, tf.mul(g, lr)));
      });
      iterations++;
    },
    config: () => ({ lr: learningRate }),
    getState: (): OptimizerState => ({ iterations, slots: new Map() }),
    setState: () => {},
    dispose: () => {},
  };
}

/** 304 examples of 4 features in [-3, 3] with 3 classes (labels i % 3). */
function data(): ArrayDataset {
  const x = Rng.fromSeed(5).uniformArray(304 * 4, -3, 3);
  const y = Int32Array.from({ length: 304 }, (_, i) => i % 3);
  return new ArrayDataset({ x, y, inputShape: [4], numClasses: 3 });
}

async function fitUntilError(loss: LossFn, lr: number, logEvery: number) {
  const model = new Linear(4, 3);
  const epochsEnded: EpochLogs[] = [];
  let error: unknown;
  try {
    await fit(model, {
      train: data(),
      validation: data(),
      loss,
      optimizer: sgd(lr),
      epochs: 5,
      batchSize: 16, // 19 batches per epoch
      rng: Rng.fromSeed(2),
      logEvery,
      callbacks: [{ onEpochEnd: (logs) => void epochsEnded.push(logs) }],
    });
  } catch (e) {
    error = e;
  }
  model.dispose();
  return { error, epochsEnded };
}

describe('fit stops at a non-finite loss', () => {
  it('names the first update whose loss was NaN, found at the next read (no read per step)', async () => {
    const before = tf.memory().numTensors;
    // [loss call that gives NaN, its step, epoch, batch, loss calls made when fit stops]:
    // 19 training batches per epoch, then 1 validation call; reads every 5 batches.
    for (const [nanAt, step, epoch, batch, callsMade] of [
      [7, 7, 1, 7, 10],
      [25, 24, 2, 5, 25],
    ] as const) {
      let calls = 0;
      // softmax cross-entropy, NaN on the nanAt-th update only.
      const poisoned: LossFn = (out, y) =>
        tf.tidy(() => {
          const value = softmaxCrossEntropy(out, y);
          return ++calls === nanAt ? (tf.mul(value, Number.NaN) as tf.Scalar) : value;
        });
      const { error, epochsEnded } = await fitUntilError(poisoned, 0.05, 5);
      expect(error).toBeInstanceOf(NonFiniteLossError);
      expect(error).toMatchObject({ step, epoch, batch, lr: 0.05, split: 'training' });
      expect(Number.isNaN((error as NonFiniteLossError).loss)).toBe(true);
      expect((error as Error).message).toBe(
        `training loss became NaN at step ${step} (epoch ${epoch}, batch ${batch}) with lr 0.05; the weights of the last finished epoch are the last usable ones (lower the learning rate?)`,
      );
      // The epoch that diverged never ended: no checkpoint or record of it is written.
      expect(epochsEnded.map((e) => e.epoch)).toEqual(epoch === 1 ? [] : [1]);
      // Found at the next read, not after the NaN step itself.
      expect(calls).toBe(callsMade);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops a real divergence: squared error with a learning rate far too large', async () => {
    const before = tf.memory().numTensors;
    // Regressing the one-hot labels: each step multiplies the error by about |1 - lr * 2 * E[x^2] / 3| = 59.
    const mse: LossFn = (out, y) =>
      tf.tidy(() => meanSquaredError(out, tf.oneHot(y as tf.Tensor1D, 3)));
    const { error, epochsEnded } = await fitUntilError(mse, 10, 50);
    expect(error).toBeInstanceOf(NonFiniteLossError);
    const e = error as NonFiniteLossError;
    expect(e.epoch).toBe(1);
    expect(e.step).toBeGreaterThan(5);
    expect(e.step).toBeLessThanOrEqual(19);
    expect(e.lr).toBe(10);
    expect(epochsEnded).toEqual([]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
