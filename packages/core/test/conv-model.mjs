// A small CNN written with core's Module only (core's tests use no other tunelab package):
// conv 3x3 (4 filters, SAME) + bias -> relu -> 2x2 max pool -> flatten -> dense `classes`,
// plus a frozen scale and a buffer, so replicas are tested on every kind of state.
import * as tf from '@tensorflow/tfjs-core';
import { Module, Rng } from '../dist/index.js';

class SmallCnn extends Module {
  type = 'SmallCnn';
  constructor(seed, side, classes) {
    super();
    const rng = Rng.fromSeed(seed);
    this.kernel = this.addParameter(
      'kernel',
      tf.tensor4d(rng.normalArray(9 * 4, 0, 0.3), [3, 3, 1, 4]),
    );
    this.bias = this.addParameter('bias', tf.zeros([4]));
    const flat = (side / 2) * (side / 2) * 4;
    this.dense = this.addParameter(
      'dense',
      tf.tensor2d(rng.normalArray(flat * classes, 0, 0.1), [flat, classes]),
    );
    this.scale = this.addParameter('scale', tf.fill([classes], 1.5), { trainable: false });
    this.seen = this.addBuffer('seen', tf.zeros([1]));
  }
  forward(x) {
    return tf.tidy(() => {
      const h = tf.maxPool(
        tf.relu(tf.add(tf.conv2d(x, this.kernel.variable, 1, 'same'), this.bias.variable)),
        2,
        2,
        'valid',
      );
      return tf.mul(
        tf.matMul(tf.reshape(h, [h.shape[0], -1]), this.dense.variable),
        this.scale.variable,
      );
    });
  }
}

/** The model for 8x8x1 inputs; `seed` picks the initial weights. */
export function smallCnn(seed = 0, side = 8, classes = 3) {
  return new SmallCnn(seed, side, classes);
}

/** A factory whose model has another shape (to test the mismatch message). */
export function otherCnn() {
  return new SmallCnn(0, 8, 5);
}
