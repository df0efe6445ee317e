import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeBackendCandidates } from '../backend/candidates.js';
import { selectBackend } from '../backend/select.js';
import { Rng } from '../random/rng.js';
import { SoftmaxCrossEntropyKernel } from './softmax-cross-entropy.js';
import '../tf/gradients.js';
import { softmaxCrossEntropy } from '../train/loss.js';

// On wasm, softmaxCrossEntropy with class ids runs as one kernel (loss and gradient in one
// pass). Checked against the composite path (the same loss given one-hot rows), which the cpu
// tests in train/loss.test.ts check against closed forms.
beforeAll(async () => {
  await selectBackend({ candidates: nodeBackendCandidates((s) => import(s)), requested: 'wasm' });
});

describe('softmax cross-entropy kernel (wasm)', () => {
  it('is ln 2 for logits [0, 0], and runs as the one kernel', async () => {
    const logits = tf.zeros([2, 2]);
    const labels = tf.tensor1d([1, 0], 'int32');
    const info = await tf.profile(() => softmaxCrossEntropy(logits, labels));
    expect(info.kernelNames).toContain(SoftmaxCrossEntropyKernel);
    expect(info.kernelNames).not.toContain('OneHot');
    expect(softmaxCrossEntropy(logits, labels).dataSync()[0]).toBeCloseTo(Math.LN2, 6);
  });

  it('matches the composite in value and gradient, large logits included', () => {
    const rng = Rng.fromSeed(3);
    const [n, c] = [37, 10];
    const values = rng.normalArray(n * c, 0, 4);
    values[5] = 60; // exp(60) overflows float32 without the max shift
    values[17] = -70;
    const logits = tf.tensor2d(values, [n, c]);
    const ids = Array.from({ length: n }, () => rng.int(c));
    const labels = tf.tensor1d(ids, 'int32');
    const oneHot = tf.cast(tf.oneHot(labels, c), 'float32');
    const dy = tf.scalar(1.7);
    const { value: ours, grad: ourGrad } = tf.valueAndGrad((z: tf.Tensor) =>
      softmaxCrossEntropy(z, labels),
    )(logits, dy);
    const { value: theirs, grad: theirGrad } = tf.valueAndGrad((z: tf.Tensor) =>
      softmaxCrossEntropy(z, oneHot),
    )(logits, dy);
    expect(ours.dataSync()[0]).toBeCloseTo(theirs.dataSync()[0]!, 5);
    const a = ourGrad.dataSync();
    const b = theirGrad.dataSync();
    let worst = 0;
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
    expect(worst).toBeLessThan(1e-6);
    // The gradient rows of the mean sum to zero (softmax sums to one) and carry dy / n.
    const row = Array.from(a.slice(0, c)).reduce((s, v) => s + v, 0);
    expect(Math.abs(row)).toBeLessThan(1e-6);
  });

  it('gives NaN for a label outside the classes', () => {
    const loss = softmaxCrossEntropy(tf.zeros([1, 3]), tf.tensor1d([3], 'int32'));
    expect(loss.dataSync()[0]).toBeNaN();
  });
});
