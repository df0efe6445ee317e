import * as tf from '@tensorflow/tfjs-core';
import { Module } from '@tunelab/core';
import type { Describable, LayerDescription, Shape } from '../summary/describe.js';
import {
  checkPadding,
  imageBatch,
  imageShape,
  type Padding,
  pair,
  type Size2,
  windowOutput,
} from './spatial.js';

/** Options of {@link MaxPool2D} and {@link AvgPool2D}. */
export interface Pool2DArgs {
  /** Window size, e.g. 2 or [2, 2]. */
  poolSize: Size2;
  /** Step of the window. Default: the pool size (non-overlapping windows). */
  strides?: Size2;
  /** 'valid' (windows inside the image) or 'same' (output ceil(input / stride)). Default 'valid'. */
  padding?: Padding;
}

/** Shared configuration and shape arithmetic of the windowed pools (channels pooled separately). */
abstract class Pool2D extends Module implements Describable {
  /** Window [height, width]. */
  readonly poolSize: [number, number];
  /** Step [vertical, horizontal]; defaults to the window size. */
  readonly strides: [number, number];
  /** 'valid' (windows inside the input) or 'same' (out = ceil(in / stride)). */
  readonly padding: Padding;

  constructor(layer: string, args: Pool2DArgs) {
    super();
    this.poolSize = pair(layer, 'poolSize', args.poolSize);
    this.strides = pair(layer, 'strides', args.strides ?? this.poolSize);
    this.padding = checkPadding(layer, args.padding ?? 'valid');
  }

  /** The input as [batch, h, w, c], or an error naming the layer and the shape received. */
  protected checked(x: tf.Tensor): tf.Tensor4D {
    const images = imageBatch(this.type, x);
    this.#outputSize([images.shape[1], images.shape[2]]);
    return images;
  }

  /** No MACs; each output unit is wired to the ph*pw inputs of its window (no bias). */
  describe(inputShape: Shape): LayerDescription {
    const [h, w, c] = imageShape(this.type, inputShape);
    const [oh, ow] = this.#outputSize([h, w]);
    return {
      outputShape: [oh, ow, c],
      macs: 0,
      connections: oh * ow * c * this.poolSize[0] * this.poolSize[1],
      window: { kernel: this.poolSize, stride: this.strides },
    };
  }

  #outputSize(input: [number, number]): [number, number] {
    return windowOutput(this.type, input, this.poolSize, this.strides, this.padding);
  }
}

/**
 * Max pooling: y[n, i, j, c] = max over the window at (i*s, j*s) of x[n, ., ., c].
 * Input [batch, h, w, c]; output [batch, h', w', c].
 * Paper: Ranzato, Huang, Boureau & LeCun 2007, "Unsupervised learning of invariant feature
 * hierarchies with applications to object recognition" (CVPR 2007).
 */
export class MaxPool2D extends Pool2D {
  readonly type = 'MaxPool2D';
  constructor(args: Pool2DArgs) {
    super('MaxPool2D', args);
  }
  forward(x: tf.Tensor): tf.Tensor {
    return tf.maxPool(this.checked(x), this.poolSize, this.strides, this.padding);
  }
}

/**
 * Average pooling: y[n, i, j, c] = mean over the window at (i*s, j*s) of x[n, ., ., c]. With
 * 'same' padding the mean is over the window's positions inside the image (TensorFlow's rule).
 * Input [batch, h, w, c]; output [batch, h', w', c].
 */
export class AvgPool2D extends Pool2D {
  readonly type = 'AvgPool2D';
  constructor(args: Pool2DArgs) {
    super('AvgPool2D', args);
  }
  forward(x: tf.Tensor): tf.Tensor {
    return tf.avgPool(this.checked(x), this.poolSize, this.strides, this.padding);
  }
}

/**
 * Global average pooling: y[n, c] = mean over i, j of x[n, i, j, c]. Input [batch, h, w, c];
 * output [batch, c]. Replaces flatten + dense layers with one number per feature map.
 * Paper: Lin, Chen & Yan 2013, "Network In Network", https://arxiv.org/abs/1312.4400
 */
export class GlobalAvgPool extends Module implements Describable {
  readonly type = 'GlobalAvgPool';
  forward(x: tf.Tensor): tf.Tensor {
    return tf.mean(imageBatch(this.type, x), [1, 2]);
  }

  /** No MACs; each output unit is wired to all h*w positions of its channel. */
  describe(inputShape: Shape): LayerDescription {
    const [h, w, c] = imageShape(this.type, inputShape);
    return { outputShape: [c], macs: 0, connections: c * h * w, window: 'global' };
  }
}
