import * as tf from '@tensorflow/tfjs-core';
import { batchNormTraining, Module, type Parameter } from '@tunelab/core';
import type { Describable, LayerDescription, Shape } from '../summary/describe.js';
import { checkPositiveInteger } from './linear.js';

/** Options of {@link BatchNorm}. */
export interface BatchNormArgs {
  /** Features normalised: the last axis of the input (channels of NHWC images, or features). */
  channels: number;
  /**
   * Weight of the new batch in the running statistics, PyTorch's convention:
   * running = (1 - momentum) * running + momentum * batch. Default 0.1. Keras's `momentum`
   * is the weight of the old value instead (its 0.99 is our 0.01).
   */
  momentum?: number;
  /** Added to the variance before the square root. Default 1e-5 (PyTorch's; Keras uses 1e-3). */
  epsilon?: number;
}

/**
 * Batch normalisation over every axis but the last:
 * y = gamma * (x - mean) / sqrt(var + epsilon) + beta.
 *
 * Training mode uses the batch's mean and (biased) variance and updates the running
 * statistics with the batch mean and the unbiased variance (times n / (n - 1)), as PyTorch
 * does; evaluation mode uses the running statistics, which makes the layer a fixed affine map.
 * A frozen layer (gamma frozen, e.g. by freezeFirst) computes as in evaluation mode even while
 * the model trains, so its running statistics stay put as well (Keras's rule).
 * Parameters `weight` (gamma, starts at 1) and `bias` (beta, starts at 0); buffers
 * `running_mean` (starts at 0) and `running_var` (starts at 1) are saved with the weights and
 * never trained. The names follow PyTorch so safetensors files line up.
 * Input [batch, ..., channels]; output the same shape.
 * Paper: Ioffe & Szegedy 2015, "Batch Normalization: Accelerating Deep Network Training by
 * Reducing Internal Covariate Shift", https://arxiv.org/abs/1502.03167
 */
export class BatchNorm extends Module implements Describable {
  readonly type = 'BatchNorm';
  /** Features normalised: the last axis of the input. */
  readonly channels: number;
  /** PyTorch-style momentum m: running = (1 - m) running + m batch. */
  readonly momentum: number;
  /** Added to the variance before the square root. */
  readonly epsilon: number;
  /** gamma [channels]. */
  readonly weight: Parameter;
  /** beta [channels]. */
  readonly bias: Parameter;
  /** Running mean per channel [channels], used in eval mode; starts at 0. */
  readonly runningMean: tf.Variable;
  /** Running unbiased variance per channel [channels], used in eval mode; starts at 1. */
  readonly runningVar: tf.Variable;

  constructor(args: BatchNormArgs) {
    super();
    checkPositiveInteger('BatchNorm', 'channels', args.channels);
    const momentum = args.momentum ?? 0.1;
    const epsilon = args.epsilon ?? 1e-5;
    if (!(momentum >= 0 && momentum <= 1)) {
      throw new Error(
        `BatchNorm: momentum must be in [0, 1] (weight of the new batch), got ${momentum}`,
      );
    }
    if (!(epsilon > 0)) throw new Error(`BatchNorm: epsilon must be positive, got ${epsilon}`);
    this.channels = args.channels;
    this.momentum = momentum;
    this.epsilon = epsilon;
    this.weight = this.addParameter('weight', tf.ones([args.channels]));
    this.bias = this.addParameter('bias', tf.zeros([args.channels]));
    this.runningMean = this.addBuffer('running_mean', tf.zeros([args.channels]));
    this.runningVar = this.addBuffer('running_var', tf.ones([args.channels]));
  }

  forward(x: tf.Tensor): tf.Tensor {
    return this.#normalise(x, false);
  }

  /**
   * relu(forward(x)): in training mode on wasm one fused kernel each way (normalisation, relu
   * and, backward, the relu mask), as ResNet's blocks apply it after their first batch norm.
   */
  forwardRelu(x: tf.Tensor): tf.Tensor {
    return this.#normalise(x, true);
  }

  #normalise(x: tf.Tensor, relu: boolean): tf.Tensor {
    if (x.rank < 2 || x.shape[x.rank - 1] !== this.channels) {
      throw new Error(`BatchNorm: expected input [batch, ..., ${this.channels}], got [${x.shape}]`);
    }
    const gamma = this.weight.variable;
    const beta = this.bias.variable;
    // A frozen layer is a fixed function: its statistics stay put too (Keras's rule), so
    // feature extraction under a frozen layer does not drift while the head trains.
    if (!this.training || !this.weight.trainable) {
      return tf.tidy(() => {
        const y = tf.batchNorm(x, this.runningMean, this.runningVar, beta, gamma, this.epsilon);
        return relu ? tf.relu(y) : y;
      });
    }
    const count = x.size / this.channels;
    if (count < 2) {
      throw new Error(
        `BatchNorm: training needs more than one value per channel, got input [${x.shape}]`,
      );
    }
    // One kernel each way where the backend has them (wasm); tfjs's ops elsewhere.
    const fused = batchNormTraining(x, gamma, beta, this.epsilon, relu);
    if (fused) {
      this.#updateRunning(fused.mean, fused.variance, count);
      tf.dispose([fused.mean, fused.variance]);
      return fused.y;
    }
    return tf.tidy(() => {
      const axes = x.shape.slice(0, -1).map((_, i) => i);
      const { mean, variance } = tf.moments(x, axes);
      this.#updateRunning(mean, variance, count);
      const y = tf.batchNorm(x, mean, variance, beta, gamma, this.epsilon);
      return relu ? tf.relu(y) : y;
    });
  }

  /** running = (1 - m) running + m batch, with the batch's unbiased variance (n / (n - 1)). */
  #updateRunning(mean: tf.Tensor, variance: tf.Tensor, count: number): void {
    tf.tidy(() => {
      const m = this.momentum;
      this.runningMean.assign(tf.add(tf.mul(this.runningMean, 1 - m), tf.mul(mean, m)));
      const unbiased = tf.mul(variance, count / (count - 1));
      this.runningVar.assign(tf.add(tf.mul(this.runningVar, 1 - m), tf.mul(unbiased, m)));
    });
  }

  /** No MACs (foldable into the layer before); each unit reads one input and a shift. */
  describe(inputShape: Shape): LayerDescription {
    if (inputShape.length < 1 || inputShape[inputShape.length - 1] !== this.channels) {
      throw new Error(`BatchNorm: expected input [..., ${this.channels}], got [${inputShape}]`);
    }
    const units = inputShape.reduce((a, b) => a * b, 1);
    return { outputShape: [...inputShape], macs: 0, connections: 2 * units, window: 'pointwise' };
  }
}
