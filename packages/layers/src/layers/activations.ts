import * as tf from '@tensorflow/tfjs-core';
import type { DenseChainLink, Module } from '@tunelab/core';
import { Pointwise } from './pointwise.js';

/**
 * Rectified linear unit: max(0, x).
 * `new ReLU().forward(tf.tensor1d([-1, 2])).dataSync()` is [0, 2].
 */
export class ReLU extends Pointwise {
  readonly type = 'ReLU';
  forward(x: tf.Tensor): tf.Tensor {
    return tf.relu(x);
  }

  /** A relu link: the activation of the dense layer before it in a dense chain. */
  override denseChain(): readonly DenseChainLink[] {
    return [{ kind: 'relu' }];
  }
}

/**
 * Logistic sigmoid: 1 / (1 + exp(-x)).
 * sigmoid(0) = 0.5.
 */
export class Sigmoid extends Pointwise {
  readonly type = 'Sigmoid';
  forward(x: tf.Tensor): tf.Tensor {
    return tf.sigmoid(x);
  }
}

/**
 * Hyperbolic tangent.
 * tanh(x) = (e^x - e^-x) / (e^x + e^-x), in (-1, 1).
 */
export class Tanh extends Pointwise {
  readonly type = 'Tanh';
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tanh(x);
  }
}

/**
 * Softmax over the last axis: exp(x_i) / sum_j exp(x_j).
 * Softmax of [0, ln 3] is [0.25, 0.75].
 */
export class Softmax extends Pointwise {
  readonly type = 'Softmax';
  forward(x: tf.Tensor): tf.Tensor {
    return tf.softmax(x);
  }
}

/** Exponential linear unit: x for x > 0, alpha (exp(x) - 1) otherwise (tfjs fixes alpha = 1). Paper: Clevert et al. 2015, https://arxiv.org/abs/1511.07289 */
export class ELU extends Pointwise {
  readonly type = 'ELU';
  forward(x: tf.Tensor): tf.Tensor {
    return tf.elu(x);
  }
}

/**
 * LeNet-5's squashing function f(a) = A tanh(S a) with A = 1.7159 and S = 2/3, chosen so that
 * f(1) = 1 and f(-1) = -1 and the gain is near 1 where inputs usually fall.
 * Paper: LeCun et al. 1998, "Gradient-based learning applied to document recognition",
 * Appendix A, http://yann.lecun.com/exdb/publis/pdf/lecun-98.pdf
 */
export class LeCunTanh extends Pointwise {
  readonly type = 'LeCunTanh';
  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.mul(tf.tanh(tf.mul(x, 2 / 3)), 1.7159));
  }
}

/** Names accepted where a config picks an activation. */
export type ActivationName = 'relu' | 'sigmoid' | 'tanh' | 'softmax' | 'elu';

/**
 * The activation module called `name`.
 * `activation('relu')` is a new {@link ReLU}; unknown names throw, listing the known ones.
 */
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

/**
 * Activations that tfjs fuses into convolutions and matrix products (tf.fused.*): 'linear'
 * means none.
 */
export type FusedActivation = 'linear' | 'relu' | 'relu6' | 'elu' | 'sigmoid';

const FUSED: readonly FusedActivation[] = ['linear', 'relu', 'relu6', 'elu', 'sigmoid'];

/**
 * Checks a fused activation name, naming the layer and the accepted names on failure.
 * `checkFusedActivation('Conv2D', 'relu')` returns 'relu'; 'gelu' throws.
 */
export function checkFusedActivation(layer: string, name: string): FusedActivation {
  if (!FUSED.includes(name as FusedActivation)) {
    throw new Error(`${layer}: activation must be one of ${FUSED.join(', ')}, got "${name}"`);
  }
  return name as FusedActivation;
}
