import * as tf from '@tensorflow/tfjs-core';
import { Module } from '@tunelab/core';

/** Rectified linear unit: max(0, x). */
export class ReLU extends Module {
  readonly type = 'ReLU';
  forward(x: tf.Tensor): tf.Tensor {
    return tf.relu(x);
  }
}

/** Logistic sigmoid: 1 / (1 + exp(-x)). */
export class Sigmoid extends Module {
  readonly type = 'Sigmoid';
  forward(x: tf.Tensor): tf.Tensor {
    return tf.sigmoid(x);
  }
}

/** Hyperbolic tangent. */
export class Tanh extends Module {
  readonly type = 'Tanh';
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tanh(x);
  }
}

/** Softmax over the last axis: exp(x_i) / sum_j exp(x_j). */
export class Softmax extends Module {
  readonly type = 'Softmax';
  forward(x: tf.Tensor): tf.Tensor {
    return tf.softmax(x);
  }
}

/** Exponential linear unit: x for x > 0, alpha (exp(x) - 1) otherwise (tfjs fixes alpha = 1). Paper: Clevert et al. 2015, https://arxiv.org/abs/1511.07289 */
export class ELU extends Module {
  readonly type = 'ELU';
  forward(x: tf.Tensor): tf.Tensor {
    return tf.elu(x);
  }
}

/** Names accepted where a config picks an activation. */
export type ActivationName = 'relu' | 'sigmoid' | 'tanh' | 'softmax' | 'elu';

/** The activation module called `name`. */
export function activation(name: ActivationName): Module {
  switch (name) {
    case 'relu':
      return new ReLU();
    case 'sigmoid':
      return new Sigmoid();
    case 'tanh':
      return new Tanh();
    case 'softmax':
      return new Softmax();
    case 'elu':
      return new ELU();
    default:
      throw new Error(
        `Unknown activation "${name as string}": expected relu, sigmoid, tanh, softmax or elu`,
      );
  }
}
