import * as tf from '@tensorflow/tfjs-core';
import {
  type BatchNormAttrs,
  BatchNormGradKernel,
  BatchNormTrainKernel,
} from '../kernels/batch-norm.js';
import { canRunSimdKernel } from '../kernels/simd-probe.js';

/** What {@link batchNormTraining} computed. */
export interface BatchNormTrainingResult {
  /** relu?(gamma (x - mean) / sqrt(variance + epsilon) + beta), the shape of x. */
  y: tf.Tensor;
  /** The batch's mean per channel [c]. Kept (outside any tidy): the caller disposes it. */
  mean: tf.Tensor1D;
  /** The batch's biased variance per channel [c]. Kept: the caller disposes it. */
  variance: tf.Tensor1D;
}

/**
 * Batch normalisation of x [..., c] with the batch's own statistics (training mode), gamma
 * and beta [c], relu after it when `relu`: one kernel forward (TunelabBatchNormTrain, three
 * passes over x) and one backward (TunelabBatchNormGrad: dx, dgamma, dbeta in two passes),
 * where tfjs composes moments, batchNorm and their gradients from about twenty kernels.
 * Differentiable in x, gamma and beta. Undefined where the backend registers no such kernel
 * or the tensors are not float32 of matching channels: the caller composes tfjs ops.
 */
export function batchNormTraining(
  x: tf.Tensor,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  epsilon: number,
  relu = false,
): BatchNormTrainingResult | undefined {
  const c = x.shape[x.rank - 1];
  const fits =
    x.rank >= 2 &&
    x.size > 0 &&
    [x, gamma, beta].every((t) => t.dtype === 'float32') &&
    [gamma, beta].every((t) => t.rank === 1 && t.shape[0] === c);
  if (!fits || !canRunSimdKernel(BatchNormTrainKernel)) return undefined;
  const attrs: BatchNormAttrs = { epsilon, relu: relu ? 1 : 0 };
  let stats: [tf.Tensor1D, tf.Tensor1D] | undefined;
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [input, g, , save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const [y, mean, variance] = tf
      .engine()
      .runKernel(
        BatchNormTrainKernel,
        { x: input, gamma: g, beta: args[2] as tf.Tensor },
        attrs as unknown as tf.NamedAttrMap,
      ) as tf.Tensor[];
    // customGrad runs this inside a tidy: the statistics leave it kept.
    stats = [tf.keep(mean as tf.Tensor1D), tf.keep(variance as tf.Tensor1D)];
    save(relu ? [input, g, mean!, variance!, y!] : [input, g, mean!, variance!]);
    return {
      value: y!,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sg, sm, sv, sy] = saved;
        const grads = tf
          .engine()
          .runKernel(
            BatchNormGradKernel,
            { dy, x: sx!, gamma: sg!, mean: sm!, variance: sv!, ...(sy ? { y: sy } : {}) },
            attrs as unknown as tf.NamedAttrMap,
          ) as tf.Tensor[];
        return grads;
      },
    };
  });
  const y = op(x, gamma, beta);
  return { y, mean: stats![0], variance: stats![1] };
}
