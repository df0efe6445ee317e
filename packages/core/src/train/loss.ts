import * as tf from '@tensorflow/tfjs-core';
import { softmaxCrossEntropyOfIds } from '../ops/softmax-cross-entropy.js';

/** Maps model outputs and labels to a scalar loss. */
export type LossFn = (outputs: tf.Tensor, labels: tf.Tensor) => tf.Scalar;

/** How per-example losses become one number. */
export type Reduction = 'mean' | 'sum';

/**
 * Softmax cross-entropy from logits: -sum_c y_c * log softmax(z)_c per example, where the
 * log-softmax is computed as z - logsumexp(z) for stability. `labels` are int32 class ids
 * [B] or one-hot/probability rows [B, C].
 * Logits [0, 0] with label 1: -log(1/2) = ln 2 = 0.6931.
 */
export function softmaxCrossEntropy(
  logits: tf.Tensor,
  labels: tf.Tensor,
  reduction: Reduction = 'mean',
): tf.Scalar {
  const fast = reduction === 'mean' ? softmaxCrossEntropyOfIds(logits, labels) : undefined;
  if (fast) return fast;
  return tf.tidy(() => {
    const classes = logits.shape[logits.shape.length - 1]!;
    // int32 one-hot then cast: tfjs-backend-wasm's OneHot ignores a float32 dtype.
    const target =
      labels.dtype === 'int32'
        ? tf.cast(tf.oneHot(labels as tf.Tensor1D, classes), 'float32')
        : tf.cast(labels, 'float32');
    return (reduction === 'mean' ? crossEntropyMean : crossEntropySum)(logits, target);
  });
}

/**
 * Cross-entropy with its closed-form gradient, dL/dz = (softmax(z) - y) * dL / n (n = batch
 * for the mean, 1 for the sum): half the kernels of differentiating through logSoftmax.
 */
function crossEntropy(reduction: Reduction) {
  return tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [logits, target, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const logp = tf.sub(logits, tf.logSumExp(logits, -1, true));
    save([logp, target]);
    const value = reduce(tf.neg(tf.sum(tf.mul(target, logp), -1)), reduction);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [savedLogp, savedTarget] = saved as [tf.Tensor, tf.Tensor];
        const n = reduction === 'mean' ? savedLogp.size / savedLogp.shape[savedLogp.rank - 1]! : 1;
        return [
          tf.mul(tf.sub(tf.exp(savedLogp), savedTarget), tf.div(dy, n)),
          tf.zerosLike(savedTarget),
        ];
      },
    };
  }) as (logits: tf.Tensor, target: tf.Tensor) => tf.Scalar;
}
const crossEntropyMean = crossEntropy('mean');

const crossEntropySum = crossEntropy('sum');

/**
 * Binary cross-entropy from logits z and targets t in [0, 1]:
 * max(z, 0) - z*t + log(1 + exp(-|z|)) (the stable form of -t log s(z) - (1-t) log(1 - s(z))).
 * Logit 0 with target 1: -log sigmoid(0) = ln 2 = 0.6931.
 */
export function binaryCrossEntropy(
  logits: tf.Tensor,
  targets: tf.Tensor,
  reduction: Reduction = 'mean',
): tf.Scalar {
  return tf.tidy(() => {
    const t = tf.cast(targets, 'float32');
    const perEntry = tf.add(
      tf.sub(tf.relu(logits), tf.mul(logits, t)),
      tf.log1p(tf.exp(tf.neg(tf.abs(logits)))),
    );
    return reduce(perEntry, reduction);
  });
}

/** Mean squared error: mean over all entries of (y - t)^2 (or their sum). */
export function meanSquaredError(
  outputs: tf.Tensor,
  targets: tf.Tensor,
  reduction: Reduction = 'mean',
): tf.Scalar {
  return tf.tidy(() =>
    reduce(tf.squaredDifference(outputs, tf.cast(targets, 'float32')), reduction),
  );
}

function reduce(values: tf.Tensor, reduction: Reduction): tf.Scalar {
  return reduction === 'mean' ? tf.mean(values) : tf.sum(values);
}
