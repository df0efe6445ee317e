import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { gradientsRegistered, Rng, softmaxCrossEntropy } from '@tunelab/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { centralDifferences, maxRelativeError } from './gradient-check.js';
import { ndarray, ndarrayToTensor, randomNdarray } from './ndarray.js';
import {
  softmaxCrossEntropyBackward,
  softmaxCrossEntropyForward,
} from './softmax-cross-entropy.js';

// Tolerances. vs tfjs (float32 exp/log over 6 classes, values of order 1): 1e-6 relative to
// max(1, |value|), for the loss and for the gradients (entries below 1/B; seen: 7e-9).
// vs float64 central differences with h = 1e-3: the truncation error is h^2 / 6 * |L'''|, and
// along one logit |L'''| = |p (1 - p) (1 - 2p)| / B <= 0.1 / B, so at most 4e-9 for B = 4
// (seen: 4e-9); 1e-7 leaves room and still catches a wrong factor anywhere.
const TFJS_TOL = 1e-6;
const FINITE_DIFF_TOL = 1e-7;

beforeAll(async () => {
  await tf.setBackend('cpu');
  expect(gradientsRegistered).toBe(true);
});

describe('softmaxCrossEntropyForward: mean over the batch of logsumexp(z) - z[y]', () => {
  it('gives log 2 for two equal logits and survives huge ones', () => {
    expect(softmaxCrossEntropyForward(ndarray([1, 2], [3, 3]), [0]).loss).toBeCloseTo(Math.LN2, 15);
    const huge = ndarray([2, 2], [1000, 0, 1000, 0]);
    const { loss, probs } = softmaxCrossEntropyForward(huge, [0, 1]);
    expect(loss).toBeCloseTo((0 + 1000) / 2, 10);
    expect(Array.from(probs.data)).toEqual([1, Math.exp(-1000), 1, Math.exp(-1000)]);
  });

  it('equals the library loss (softmaxCrossEntropy of @tunelab/core)', () => {
    const logits = randomNdarray([5, 6], Rng.fromSeed(5), 2);
    const labels = [0, 5, 2, 2, 3];
    const ours = softmaxCrossEntropyForward(logits, labels);
    tf.tidy(() => {
      const lib = softmaxCrossEntropy(ndarrayToTensor(logits), tf.tensor1d(labels, 'int32'));
      expect(maxRelativeError([ours.loss], lib.dataSync())).toBeLessThan(TFJS_TOL);
      const probs = tf.softmax(ndarrayToTensor(logits));
      expect(maxRelativeError(ours.probs.data, probs.dataSync())).toBeLessThan(TFJS_TOL);
    });
  });

  it('explains bad labels', () => {
    expect(() => softmaxCrossEntropyForward(ndarray([2, 3]), [0])).toThrow(
      'softmax cross-entropy: 1 labels for a batch of 2',
    );
    expect(() => softmaxCrossEntropyForward(ndarray([1, 3]), [3])).toThrow(
      'softmax cross-entropy: label 3 of example 0 is not in 0..2',
    );
  });
});

describe('softmaxCrossEntropyBackward: dz = (softmax(z) - onehot(y)) / B', () => {
  const logits = randomNdarray([4, 5], Rng.fromSeed(6), 2);
  const labels = [1, 4, 0, 1];
  const dz = softmaxCrossEntropyBackward(softmaxCrossEntropyForward(logits, labels).probs, labels);

  it('agrees with tfjs autodiff', () => {
    tf.tidy(() => {
      const [grad] = tf.grads((z: tf.Tensor) =>
        softmaxCrossEntropy(z, tf.tensor1d(labels, 'int32')),
      )([ndarrayToTensor(logits)]);
      expect(maxRelativeError(dz.data, grad!.dataSync())).toBeLessThan(TFJS_TOL);
    });
  });

  it('agrees with central differences', () => {
    const numeric = centralDifferences(
      (v) => softmaxCrossEntropyForward(ndarray(logits.shape, v), labels).loss,
      logits.data,
    );
    expect(maxRelativeError(dz.data, numeric)).toBeLessThan(FINITE_DIFF_TOL);
  });

  it('sums to zero over the classes of each example (probabilities and one-hot both sum to 1)', () => {
    for (let n = 0; n < 4; n++) {
      const row = dz.data.subarray(n * 5, n * 5 + 5).reduce((a, b) => a + b, 0);
      expect(Math.abs(row)).toBeLessThan(1e-15);
    }
  });
});
