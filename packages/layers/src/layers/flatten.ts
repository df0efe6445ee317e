import * as tf from '@tensorflow/tfjs-core';
import { type DenseChainLink, Module } from '@tunelab/core';
import {
  type Describable,
  type LayerDescription,
  type Shape,
  sizeOf,
} from '../summary/describe.js';

/**
 * Reshapes [batch, d1, d2, ...] to [batch, d1 * d2 * ...] (row-major, channels last).
 * `new Flatten().forward(tf.zeros([32, 28, 28, 1])).shape` is [32, 784].
 */
export class Flatten extends Module implements Describable {
  readonly type = 'Flatten';
  forward(x: tf.Tensor): tf.Tensor {
    return tf.reshape(x, [x.shape[0]!, -1]);
  }

  /** A flatten link of a dense chain. */
  override denseChain(): readonly DenseChainLink[] {
    return [{ kind: 'flatten' }];
  }

  /** A relabelling of the same units: no MACs, no connections, receptive field unchanged. */
  describe(inputShape: Shape): LayerDescription {
    return { outputShape: [sizeOf(inputShape)], macs: 0, connections: 0, window: 'pointwise' };
  }
}
