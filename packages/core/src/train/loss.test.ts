import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../tf/gradients.js';
import { ArrayDataset } from '../data/dataset.js';
import { Module } from '../module/module.js';
import { confusionOf } from './evaluate.js';
import { binaryCrossEntropy, meanSquaredError, softmaxCrossEntropy } from './loss.js';
import { accuracy, confusionMatrix, perClassAccuracy, RunningMean } from './metrics.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const logits = [
  [2, 1, 0.1],
  [0.5, 2.5, -1],
];
const labels = [0, 2];

/** -log(exp(z_y) / sum exp(z)), by hand in doubles. */
function crossEntropyByHand(z: number[], y: number): number {
  const sum = z.reduce((a, v) => a + Math.exp(v), 0);
  return -(z[y]! - Math.log(sum));
}

describe('losses', () => {
  it('softmax cross-entropy equals the closed form, mean and sum', () => {
    const expected = logits.map((z, i) => crossEntropyByHand(z, labels[i]!));
    const z = tf.tensor2d(logits);
    const y = tf.tensor1d(labels, 'int32');
    expect(softmaxCrossEntropy(z, y).dataSync()[0]).toBeCloseTo(
      (expected[0]! + expected[1]!) / 2,
      6,
    );
    expect(softmaxCrossEntropy(z, y, 'sum').dataSync()[0]).toBeCloseTo(
      expected[0]! + expected[1]!,
      6,
    );
  });

  it('softmax cross-entropy agrees with tf.losses.softmaxCrossEntropy, value and gradient', () => {
    const z = tf.tensor2d(logits);
    const y = tf.tensor1d(labels, 'int32');
    const oneHot = tf.oneHot(y, 3);
    const ours = tf.valueAndGrad((t: tf.Tensor) => softmaxCrossEntropy(t, y))(z);
    const theirs = tf.valueAndGrad(
      (t: tf.Tensor) => tf.losses.softmaxCrossEntropy(oneHot, t) as tf.Scalar,
    )(z);
    expect(ours.value.dataSync()[0]).toBeCloseTo(theirs.value.dataSync()[0]!, 6);
    const diff = tf.max(tf.abs(tf.sub(ours.grad, theirs.grad))).dataSync()[0]!;
    expect(diff).toBeLessThan(1e-6);
    // d/dz of mean CE = (softmax(z) - onehot(y)) / B
    const analytic = tf.div(tf.sub(tf.softmax(z), oneHot), 2);
    expect(tf.max(tf.abs(tf.sub(ours.grad, analytic))).dataSync()[0]).toBeLessThan(1e-6);
  });

  it('binary cross-entropy from logits equals -t log s - (1-t) log(1-s)', () => {
    const z = [-3, -0.5, 0, 2, 40];
    const t = [0, 1, 1, 0, 1];
    const s = (v: number) => 1 / (1 + Math.exp(-v));
    const byHand = z.map((v, i) => {
      const p = s(v);
      // Only the term selected by t is taken: (1 - t) * log(1 - s(40)) would be 0 * -Infinity.
      return t[i] === 1 ? -Math.log(p) : -Math.log(1 - p);
    });
    const mean = byHand.reduce((a, b) => a + b, 0) / z.length;
    expect(binaryCrossEntropy(tf.tensor1d(z), tf.tensor1d(t)).dataSync()[0]).toBeCloseTo(mean, 5);
  });

  it('mean squared error equals the mean of squared differences', () => {
    const out = tf.tensor2d([
      [1, 2],
      [3, 5],
    ]);
    const target = tf.tensor2d([
      [0, 2],
      [3, 1],
    ]);
    // (1 + 0 + 0 + 16) / 4 = 4.25
    expect(meanSquaredError(out, target).dataSync()[0]).toBeCloseTo(4.25, 6);
    expect(meanSquaredError(out, target, 'sum').dataSync()[0]).toBeCloseTo(17, 6);
  });
});

describe('metrics', () => {
  it('accumulates accuracy over batches weighted by batch size', async () => {
    const acc = accuracy();
    // batch 1: 2 of 3 correct; batch 2: 0 of 1 correct -> 2/4
    acc.update(
      tf.tensor2d([
        [1, 0],
        [0, 1],
        [1, 0],
      ]),
      tf.tensor1d([0, 1, 1], 'int32'),
    );
    acc.update(tf.tensor2d([[0, 1]]), tf.tensor1d([0], 'int32'));
    expect(await acc.read()).toBeCloseTo(0.5, 6);
    acc.reset();
    expect(Number.isNaN(await acc.read())).toBe(true);
  });

  it('counts a confusion matrix across batches: rows true class, columns predicted', async () => {
    const cm = confusionMatrix(3);
    // batch 1: true 0 -> pred 0, true 1 -> pred 2, true 2 -> pred 2
    cm.update(
      tf.tensor2d([
        [5, 1, 0],
        [0, 1, 3],
        [0, 0, 9],
      ]),
      tf.tensor1d([0, 1, 2], 'int32'),
    );
    // batch 2: true 1 -> pred 1, true 1 -> pred 0
    cm.update(
      tf.tensor2d([
        [0, 2, 1],
        [4, 0, 0],
      ]),
      tf.tensor1d([1, 1], 'int32'),
    );
    const m = await cm.matrix();
    expect(m).toEqual([
      [1, 0, 0],
      [1, 1, 1],
      [0, 0, 1],
    ]);
    expect(await cm.read()).toBeCloseTo(3 / 5, 6);
    expect(perClassAccuracy(m)).toEqual([1, 1 / 3, 1]);
    cm.dispose();
  });

  it('computes a model confusion matrix over a dataset in evaluation mode', async () => {
    // The "model" outputs its input as logits: the prediction is the arg-max of x.
    class Identity extends Module {
      readonly type = 'Identity';
      forward(x: tf.Tensor) {
        return x;
      }
    }
    const x = Float32Array.from([1, 0, 0, 1, 1, 0, 0, 1]); // predictions 0, 1, 0, 1
    const data = new ArrayDataset({
      x,
      y: Int32Array.from([0, 1, 1, 1]),
      inputShape: [2],
      numClasses: 2,
    });
    const model = new Identity();
    expect(await confusionOf(model, data, { batchSize: 3 })).toEqual([
      [1, 0],
      [1, 2],
    ]);
    expect(model.training).toBe(true);
  });

  it('reads one-hot labels as their arg-max', async () => {
    const acc = accuracy();
    acc.update(
      tf.tensor2d([
        [0.9, 0.1],
        [0.2, 0.8],
      ]),
      tf.tensor2d([
        [1, 0],
        [1, 0],
      ]),
    );
    expect(await acc.read()).toBeCloseTo(0.5, 6);
  });

  it('keeps one tensor for a running mean however many batches are added', async () => {
    const mean = new RunningMean();
    const before = tf.memory().numTensors;
    for (let i = 1; i <= 10; i++) {
      const v = tf.scalar(i);
      mean.add(v, 2);
      v.dispose();
    }
    expect(tf.memory().numTensors).toBe(before + 1);
    expect(await mean.read()).toBeCloseTo(5.5, 6);
    mean.reset();
    expect(tf.memory().numTensors).toBe(before);
  });
});
