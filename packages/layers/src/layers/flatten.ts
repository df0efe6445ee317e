import * as tf from '@tensorflow/tfjs-core';
import { Module } from '@tunelab/core';

/** Reshapes [batch, d1, d2, ...] to [batch, d1 * d2 * ...]. */
export class Flatten extends Module {
  readonly type = 'Flatten';
  forward(x: tf.Tensor): tf.Tensor {
    return tf.reshape(x, [x.shape[0]!, -1]);
  }
}
