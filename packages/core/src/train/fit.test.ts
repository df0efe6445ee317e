import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ArrayDataset } from '../data/dataset.js';
import { Module } from '../module/module.js';
import type { Parameter } from '../module/parameter.js';
import { Rng } from '../random/rng.js';
import type { EpochLogs, EvaluationLogs } from './callback.js';
import { evaluate } from './evaluate.js';
import { evaluationPoints } from './evaluation-points.js';
import { fit } from './fit.js';
import { softmaxCrossEntropy } from './loss.js';
import type { GradientPair, Optimizer, OptimizerState } from './optimizer.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Softmax regression: logits = x W + b, W initialised from the seed. */
class Softmax extends Module {
  readonly type = 'Softmax';
  readonly weight: Parameter;
  readonly bias: Parameter;
  constructor(rng: Rng, inputs: number, classes: number) {
    super();
    this.weight = this.addParameter(
      'weight',
      tf.tensor2d(rng.normalArray(inputs * classes, 0, 0.1), [inputs, classes]),
    );
    this.bias = this.addParameter('bias', tf.zeros([classes]));
  }
  forward(x: tf.Tensor): tf.Tensor {
    return tf.add(tf.matMul(x as tf.Tensor2D, this.weight.variable), this.bias.variable);
  }
}

/** Plain SGD, w <- w - lr * g, written here so core's tests need no other package. */
function plainSgd(learningRate: number): Optimizer {
  let iterations = 0;
  return {
    name: 'sgd',
    learningRate,
    get iterations() {
      return iterations;
    },
    applyGradients(gradients: readonly GradientPair[], lr = learningRate) {
      tf.tidy(() => {
        for (const [p, g] of gradients)
          if (p.trainable) p.variable.assign(tf.sub(p.variable, tf.mul(g, lr)));
      });
      iterations++;
    },
    config: () => ({ lr: learningRate }),
    getState: (): OptimizerState => ({ iterations, slots: new Map() }),
    setState: (state) => {
      iterations = state.iterations;
    },
    dispose: () => {},
  };
}

/** Three Gaussian blobs in 2-D, centres (-2,0), (2,0), (0,3), sd 0.6: nearly separable. */
function blobs(seed: number, perClass: number): ArrayDataset {
  const rng = Rng.fromSeed(seed);
  const centres = [
    [-2, 0],
    [2, 0],
    [0, 3],
  ];
  const x = new Float32Array(perClass * 3 * 2);
  const y = new Int32Array(perClass * 3);
  for (let i = 0; i < perClass * 3; i++) {
    const c = i % 3;
    y[i] = c;
    x[2 * i] = centres[c]![0]! + rng.normal(0, 0.6);
    x[2 * i + 1] = centres[c]![1]! + rng.normal(0, 0.6);
  }
  return new ArrayDataset({ x, y, inputShape: [2], numClasses: 3 });
}

async function train(seed: number, epochs = 5) {
  const model = new Softmax(Rng.fromSeed(seed).fork('init'), 2, 3);
  const tensorsAfterEpoch: number[] = [];
  const history = await fit(model, {
    train: blobs(1, 100),
    validation: blobs(2, 50),
    loss: softmaxCrossEntropy,
    optimizer: plainSgd(0.1),
    epochs,
    batchSize: 16,
    rng: Rng.fromSeed(seed).fork('batches'),
    callbacks: [{ onEpochEnd: () => void tensorsAfterEpoch.push(tf.memory().numTensors) }],
  });
  return { model, history, tensorsAfterEpoch };
}

describe('fit', () => {
  it('learns separable classes and reports per-epoch train and validation metrics', async () => {
    const { model, history } = await train(0);
    expect(history.stopReason).toBe('completed');
    expect(history.epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5]);
    // 300 examples at batch 16 = 19 steps per epoch.
    expect(history.epochs.map((e) => e.step)).toEqual([19, 38, 57, 76, 95]);
    expect(history.epochs[4]!.samples).toBe(1500);
    const last = history.epochs.at(-1)!.metrics;
    expect(Object.keys(last).sort()).toEqual([
      'trainAccuracy',
      'trainLoss',
      'valAccuracy',
      'valLoss',
    ]);
    expect(last.valAccuracy).toBeGreaterThan(0.95);
    expect(last.trainLoss!).toBeLessThan(history.epochs[0]!.metrics.trainLoss!);
    const check = await evaluate(model, blobs(2, 50), { loss: softmaxCrossEntropy });
    expect(check.accuracy).toBeCloseTo(last.valAccuracy!, 6);
    expect(check.loss).toBeCloseTo(last.valLoss!, 5);
    model.dispose();
  });

  it('is deterministic for a seed and differs across seeds', async () => {
    const a = await train(7, 2);
    const b = await train(7, 2);
    const c = await train(8, 2);
    const metrics = (h: { epochs: readonly EpochLogs[] }) => h.epochs.map((e) => e.metrics);
    expect(metrics(a.history)).toEqual(metrics(b.history));
    expect(metrics(a.history)).not.toEqual(metrics(c.history));
    for (const r of [a, b, c]) r.model.dispose();
  });

  it('keeps the number of live tensors constant across epochs', async () => {
    const before = tf.memory().numTensors;
    const { model, tensorsAfterEpoch } = await train(3, 4);
    expect(new Set(tensorsAfterEpoch).size).toBe(1);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops when a callback asks, and when the signal aborts', async () => {
    const model = new Softmax(Rng.fromSeed(1), 2, 3);
    const base = {
      train: blobs(1, 30),
      loss: softmaxCrossEntropy,
      optimizer: plainSgd(0.1),
      epochs: 10,
      batchSize: 10,
      rng: Rng.fromSeed(1),
    };
    const stopped = await fit(model, {
      ...base,
      callbacks: [
        {
          onEpochEnd: (logs, ctx) => (logs.epoch === 3 ? ctx.stop('stopped', 'enough') : undefined),
        },
      ],
    });
    expect(stopped.stopReason).toBe('stopped');
    expect(stopped.stopDetail).toBe('enough');
    expect(stopped.epochs).toHaveLength(3);

    const controller = new AbortController();
    const interrupted = await fit(model, {
      ...base,
      signal: controller.signal,
      callbacks: [
        {
          onBatchEnd: (logs) =>
            logs.epoch === 2 && logs.batch === 4 ? controller.abort() : undefined,
        },
      ],
    });
    expect(interrupted.stopReason).toBe('interrupted');
    // The interrupted epoch is not reported as finished.
    expect(interrupted.epochs.map((e) => e.epoch)).toEqual([1]);
    model.dispose();
  });

  it('resumes at a later epoch with exactly the updates of an uninterrupted run', async () => {
    const common = { train: blobs(1, 40), loss: softmaxCrossEntropy, batchSize: 8 };
    const full = new Softmax(Rng.fromSeed(5), 2, 3);
    await fit(full, { ...common, optimizer: plainSgd(0.05), epochs: 3, rng: Rng.fromSeed(9) });

    const part = new Softmax(Rng.fromSeed(5), 2, 3);
    await fit(part, { ...common, optimizer: plainSgd(0.05), epochs: 1, rng: Rng.fromSeed(9) });
    const resumed = new Softmax(Rng.fromSeed(99), 2, 3);
    resumed.loadStateDict(part.stateDict());
    const history = await fit(resumed, {
      ...common,
      optimizer: plainSgd(0.05),
      epochs: 3,
      rng: Rng.fromSeed(9),
      initialEpoch: 1,
    });
    // 120 examples at batch 8: 15 steps and 120 samples per epoch, counted from epoch 1.
    expect(history.epochs.map((e) => [e.epoch, e.step, e.samples])).toEqual([
      [2, 30, 240],
      [3, 45, 360],
    ]);
    expect(Array.from(resumed.weight.variable.dataSync())).toEqual(
      Array.from(full.weight.variable.dataSync()),
    );
    for (const m of [full, part, resumed]) m.dispose();
  });

  it('augments training batches only, identically for the same seed', async () => {
    const seen: Array<{ size: number; first: number }> = [];
    // Adds seeded noise to the inputs and records what it saw.
    const noisy = (batch: { x: tf.Tensor; y: tf.Tensor; size: number }, rng: Rng) => {
      seen.push({ size: batch.size, first: rng.float() });
      const x = tf.add(batch.x, tf.tensor(rng.normalArray(batch.x.size, 0, 0.5), batch.x.shape));
      batch.x.dispose();
      return { ...batch, x };
    };
    const run = async () => {
      seen.length = 0;
      const model = new Softmax(Rng.fromSeed(1), 2, 3);
      const validation = blobs(2, 20);
      const history = await fit(model, {
        train: blobs(1, 20),
        validation,
        loss: softmaxCrossEntropy,
        optimizer: plainSgd(0.1),
        epochs: 2,
        batchSize: 16,
        rng: Rng.fromSeed(3),
        augment: noisy,
      });
      // Validation metrics are those of the un-augmented validation set.
      const check = await evaluate(model, validation, { loss: softmaxCrossEntropy });
      expect(history.epochs.at(-1)!.metrics.valLoss).toBeCloseTo(check.loss!, 6);
      model.dispose();
      return { history, calls: seen.map((c) => ({ ...c })) };
    };
    const a = await run();
    const b = await run();
    // 60 examples at batch 16: 4 training batches per epoch, 8 calls, none for validation.
    expect(a.calls.map((c) => c.size)).toEqual([16, 16, 16, 12, 16, 16, 16, 12]);
    expect(new Set(a.calls.map((c) => c.first)).size).toBe(8);
    expect(b.calls).toEqual(a.calls);
    expect(b.history.epochs.map((e) => e.metrics)).toEqual(a.history.epochs.map((e) => e.metrics));
  });

  it('evaluates every N samples on a training subset and the validation set', async () => {
    const train = blobs(1, 100);
    const validation = blobs(2, 30);
    const model = new Softmax(Rng.fromSeed(1), 2, 3);
    const evaluations: EvaluationLogs[] = [];
    const history = await fit(model, {
      train,
      validation,
      loss: softmaxCrossEntropy,
      optimizer: plainSgd(0.1),
      epochs: 2,
      batchSize: 16,
      rng: Rng.fromSeed(2),
      evaluateEvery: { samples: 100, train: train.take(60) },
      callbacks: [{ onEvaluation: (logs) => void evaluations.push(logs) }],
    });
    // 300 samples per epoch (18 batches of 16 + one of 12): 100 is crossed after 112, 208,
    // 300 (epoch end), 412, 508, 600.
    expect(evaluations.map((e) => e.samples)).toEqual([112, 208, 300, 412, 508, 600]);
    expect(evaluations[2]!.epoch).toBe(1);
    expect(Object.keys(evaluations[0]!.metrics).sort()).toEqual([
      'trainAccuracy',
      'trainLoss',
      'valAccuracy',
      'valLoss',
    ]);
    // At an epoch end the periodic validation numbers equal the epoch's.
    expect(evaluations[2]!.metrics.valLoss).toBeCloseTo(history.epochs[0]!.metrics.valLoss!, 6);
    expect(evaluations[5]!.metrics.valAccuracy).toBe(history.epochs[1]!.metrics.valAccuracy);
    // The planning function gives the same points without training.
    expect(
      evaluationPoints({ trainSize: 300, batchSize: 16, epochs: 2, everySamples: 100 }),
    ).toEqual(evaluations.map((e) => e.samples));
    model.dispose();
  });

  it('names the held-out metrics test* when told the held-out set is the test split', async () => {
    const model = new Softmax(Rng.fromSeed(2), 2, 3);
    const evaluations: EvaluationLogs[] = [];
    const history = await fit(model, {
      train: blobs(5, 60),
      validation: blobs(6, 30),
      heldOutName: 'test',
      loss: softmaxCrossEntropy,
      optimizer: plainSgd(0.1),
      epochs: 1,
      batchSize: 20,
      rng: Rng.fromSeed(2),
      evaluateEvery: { samples: 60 },
      callbacks: [{ onEvaluation: (logs) => void evaluations.push(logs) }],
    });
    expect(Object.keys(history.epochs[0]!.metrics).sort()).toEqual([
      'testAccuracy',
      'testLoss',
      'trainAccuracy',
      'trainLoss',
    ]);
    expect(Object.keys(evaluations[0]!.metrics).sort()).toEqual(['testAccuracy', 'testLoss']);
    model.dispose();
  });

  it('frees the batch prepared ahead when training stops mid-epoch', async () => {
    const before = tf.memory().numTensors;
    const model = new Softmax(Rng.fromSeed(1), 2, 3);
    const history = await fit(model, {
      train: blobs(1, 30),
      loss: softmaxCrossEntropy,
      optimizer: plainSgd(0.1),
      epochs: 3,
      batchSize: 10,
      rng: Rng.fromSeed(1),
      callbacks: [
        {
          onBatchEnd: (logs, ctx) =>
            logs.batch === 3 ? ctx.stop('stopped', 'mid-epoch') : undefined,
        },
      ],
    });
    expect(history.stopReason).toBe('stopped');
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('continues from logged epochs: schedule replayed, callbacks told, history and clock continued', async () => {
    const common = {
      train: blobs(1, 40),
      loss: softmaxCrossEntropy,
      batchSize: 8,
      rng: Rng.fromSeed(9),
    };
    const first = await fit(new Softmax(Rng.fromSeed(5), 2, 3), {
      ...common,
      optimizer: plainSgd(0.05),
      epochs: 2,
    });
    const observed: Array<[number, number]> = [];
    const schedule = {
      at: () => 0.05,
      observe: (logs: Record<string, number>, step = -1) =>
        void observed.push([logs.trainLoss!, step]),
    };
    let resumedWith: readonly EpochLogs[] = [];
    const history = await fit(new Softmax(Rng.fromSeed(5), 2, 3), {
      ...common,
      optimizer: plainSgd(0.05),
      schedule,
      epochs: 3,
      resumeFrom: first.epochs,
      callbacks: [
        {
          onResume: (h) => {
            resumedWith = h;
          },
        },
      ],
    });
    expect(resumedWith).toEqual(first.epochs);
    expect(history.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    expect(history.epochs[2]!.step).toBe(45);
    expect(history.epochs[2]!.seconds).toBeGreaterThanOrEqual(first.epochs[1]!.seconds);
    // Two replayed observations (with their steps), then epoch 3's.
    expect(observed.map(([, step]) => step)).toEqual([15, 30, 45]);
    expect(observed[0]![0]).toBe(first.epochs[0]!.metrics.trainLoss);
  });

  it('refuses a model whose parameters are all frozen', async () => {
    const model = new Softmax(Rng.fromSeed(1), 2, 3).freeze();
    await expect(
      fit(model, {
        train: blobs(1, 5),
        loss: softmaxCrossEntropy,
        optimizer: plainSgd(0.1),
        epochs: 1,
        batchSize: 4,
        rng: Rng.fromSeed(1),
      }),
    ).rejects.toThrow(/no trainable parameters/);
    model.dispose();
  });
});
