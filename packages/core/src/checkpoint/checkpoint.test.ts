import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ArrayDataset } from '../data/dataset.js';
import { Module } from '../module/module.js';
import type { Parameter } from '../module/parameter.js';
import { Rng } from '../random/rng.js';
import { fit } from '../train/fit.js';
import { softmaxCrossEntropy } from '../train/loss.js';
import type { GradientPair, Optimizer, OptimizerState } from '../train/optimizer.js';
import { encodeCheckpoint, restoreCheckpoint } from './checkpoint.js';
import { saveWeights } from './weights.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

class Softmax extends Module {
  readonly type = 'Softmax';
  readonly weight: Parameter;
  readonly bias: Parameter;
  constructor(seed: number) {
    super();
    this.weight = this.addParameter(
      'weight',
      tf.tensor2d(Rng.fromSeed(seed).normalArray(6, 0, 0.1), [2, 3]),
    );
    this.bias = this.addParameter('bias', tf.zeros([3]));
  }
  forward(x: tf.Tensor): tf.Tensor {
    return tf.add(tf.matMul(x as tf.Tensor2D, this.weight.variable), this.bias.variable);
  }
}

/** Heavy-ball momentum written here (core cannot depend on @tunelab/optimizers): state to resume. */
function testMomentum(lr: number): Optimizer {
  let iterations = 0;
  let slots = new Map<Parameter, { v: tf.Variable }>();
  return {
    name: 'test-momentum',
    learningRate: lr,
    get iterations() {
      return iterations;
    },
    applyGradients(gradients: readonly GradientPair[], rate = lr) {
      tf.tidy(() => {
        for (const [p, g] of gradients) {
          const slot = slots.get(p) ?? { v: tf.variable(tf.zerosLike(p.variable), false) };
          slots.set(p, slot);
          slot.v.assign(tf.add(tf.mul(slot.v, 0.9), g));
          p.variable.assign(tf.sub(p.variable, tf.mul(slot.v, rate)));
        }
      });
      iterations++;
    },
    config: () => ({ lr }),
    getState: (): OptimizerState => ({
      iterations,
      slots: new Map([...slots].map(([p, s]) => [p, { v: s.v }])),
    }),
    setState(state) {
      iterations = state.iterations;
      slots = new Map(
        [...state.slots].map(([p, s]) => [p, { v: tf.variable(tf.clone(s.v!), false) }]),
      );
    },
    dispose: () => {
      for (const s of slots.values()) s.v.dispose();
    },
  };
}

function data(): ArrayDataset {
  const rng = Rng.fromSeed(3);
  const x = rng.normalArray(60 * 2);
  const y = Int32Array.from({ length: 60 }, (_, i) =>
    x[2 * i]! > 0 ? (x[2 * i + 1]! > 0 ? 0 : 1) : 2,
  );
  return new ArrayDataset({ x, y, inputShape: [2], numClasses: 3 });
}

describe('checkpoints', () => {
  it('resume from a checkpoint reproduces an uninterrupted run exactly (weights and optimizer state)', async () => {
    const common = { train: data(), loss: softmaxCrossEntropy, batchSize: 8, rng: Rng.fromSeed(4) };
    const full = new Softmax(1);
    await fit(full, { ...common, optimizer: testMomentum(0.1), epochs: 3 });

    const first = new Softmax(1);
    const firstOpt = testMomentum(0.1);
    let saved: Uint8Array | undefined;
    await fit(first, {
      ...common,
      optimizer: firstOpt,
      epochs: 3,
      callbacks: [
        {
          async onEpochEnd(logs, ctx) {
            if (logs.epoch === 1) {
              saved = await encodeCheckpoint(ctx.model, ctx.optimizer, logs);
              ctx.stop('interrupted');
            }
          },
        },
      ],
    });

    const resumed = new Softmax(99);
    const resumedOpt = testMomentum(0.1);
    const progress = restoreCheckpoint(saved!, 'ckpt.safetensors', resumed, resumedOpt);
    expect(progress).toMatchObject({ epoch: 1, step: 8 });
    expect(resumedOpt.iterations).toBe(8);
    await fit(resumed, {
      ...common,
      optimizer: resumedOpt,
      epochs: 3,
      initialEpoch: progress.epoch,
    });
    expect(Array.from(resumed.weight.variable.dataSync())).toEqual(
      Array.from(full.weight.variable.dataSync()),
    );
    expect(Array.from(resumed.bias.variable.dataSync())).toEqual(
      Array.from(full.bias.variable.dataSync()),
    );
  });

  it('refuses a weights file, another optimizer kind, and foreign tensors', async () => {
    const model = new Softmax(1);
    const opt = testMomentum(0.1);
    const bytes = await encodeCheckpoint(model, opt, { epoch: 2, step: 10 });
    const other = { ...testMomentum(0.1), name: 'adam' } as Optimizer;
    expect(() => restoreCheckpoint(bytes, 'c.safetensors', new Softmax(2), other)).toThrow(
      'c.safetensors: checkpoint holds test-momentum state, cannot restore it into adam',
    );
    const weightsOnly = await saveWeights(model);
    expect(() => restoreCheckpoint(weightsOnly, 'w.safetensors', model)).toThrow(
      /^w\.safetensors: not a tunelab checkpoint/,
    );
  });
});
