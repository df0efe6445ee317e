import { type NDArray, ndarray, shape2 } from './ndarray.js';

/** Loss and probabilities from {@link softmaxCrossEntropyForward}. */
export interface SoftmaxCrossEntropy {
  /** Mean cross-entropy over the batch. */
  loss: number;
  /** Softmax of the logits, [batch, classes]; the backward pass reuses it. */
  probs: NDArray;
}

/**
 * Softmax cross-entropy from logits z [batch, classes] and class ids y [batch], mean over
 * the batch B:
 *
 *   p[n, c] = exp(z[n, c]) / sum_k exp(z[n, k])
 *   L = (1/B) sum_n -log p[n, y_n] = (1/B) sum_n (logsumexp(z[n, :]) - z[n, y_n])
 *
 * with logsumexp(z) = m + log sum_k exp(z_k - m), m = max_k z_k, so that large logits do not
 * overflow exp.
 */
export function softmaxCrossEntropyForward(
  logits: NDArray,
  labels: ArrayLike<number>,
): SoftmaxCrossEntropy {
  const [batch, classes] = checkLabels(logits, labels);
  const probs = ndarray([batch, classes]);
  let total = 0;
  for (let n = 0; n < batch; n++) {
    const row = logits.data.subarray(n * classes, (n + 1) * classes);
    const m = Math.max(...row);
    let sumExp = 0;
    for (let c = 0; c < classes; c++) sumExp += Math.exp(row[c]! - m);
    const logSumExp = m + Math.log(sumExp);
    for (let c = 0; c < classes; c++) probs.data[n * classes + c] = Math.exp(row[c]! - logSumExp);
    total += logSumExp - row[labels[n]!]!;
  }
  return { loss: total / batch, probs };
}

/**
 * Gradient of the mean softmax cross-entropy with respect to the logits:
 *
 *   dL/dz[n, c] = (p[n, c] - onehot(y_n)[c]) / B
 *
 * (the derivative of logsumexp is the softmax; that of -z[n, y_n] is minus the one-hot).
 */
export function softmaxCrossEntropyBackward(probs: NDArray, labels: ArrayLike<number>): NDArray {
  const [batch, classes] = checkLabels(probs, labels);
  const dz = ndarray([batch, classes]);
  for (let n = 0; n < batch; n++) {
    for (let c = 0; c < classes; c++) {
      const onehot = c === labels[n] ? 1 : 0;
      dz.data[n * classes + c] = (probs.data[n * classes + c]! - onehot) / batch;
    }
  }
  return dz;
}

function checkLabels(scores: NDArray, labels: ArrayLike<number>): [number, number] {
  const [batch, classes] = shape2(scores, 'softmax cross-entropy logits');
  if (labels.length !== batch) {
    throw new Error(`softmax cross-entropy: ${labels.length} labels for a batch of ${batch}`);
  }
  for (let n = 0; n < batch; n++) {
    const y = labels[n]!;
    if (!Number.isInteger(y) || y < 0 || y >= classes) {
      throw new Error(
        `softmax cross-entropy: label ${y} of example ${n} is not in 0..${classes - 1}`,
      );
    }
  }
  return [batch, classes];
}
