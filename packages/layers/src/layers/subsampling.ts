import * as tf from '@tensorflow/tfjs-core';
import { Module, type Parameter } from '@tunelab/core';
import type { Describable, LayerDescription, Shape } from '../summary/describe.js';
import { checkPositiveInteger } from './linear.js';
import { imageBatch, imageShape, windowOutput } from './spatial.js';

/** Options of {@link Subsampling}. */
export interface SubsamplingArgs {
  /** Feature maps (channels) of the input; each has its own coefficient and bias. */
  channels: number;
  /** Side of the non-overlapping window. Default 2. */
  size?: number;
  /** Initial coefficient. Default 1 / size^2, so the layer starts as average pooling. */
  initialCoefficient?: number;
}

/**
 * LeNet-5's trainable subsampling (layers S2 and S4): the inputs of each non-overlapping
 * size x size window are added, multiplied by a trainable coefficient and shifted by a
 * trainable bias, one pair per feature map: y[n, i, j, c] = w[c] * sum_window x + b[c].
 * The squashing function that follows in the paper is a separate layer here.
 * 2 parameters per map (S2: 12, S4: 32). Input [batch, h, w, c]; output [batch, h/size, w/size, c].
 * Paper: LeCun, Bottou, Bengio & Haffner 1998, "Gradient-based learning applied to document
 * recognition", section II.B, http://yann.lecun.com/exdb/publis/pdf/lecun-98.pdf
 */
export class Subsampling extends Module implements Describable {
  readonly type = 'Subsampling';
  /** Feature maps (the last axis of the input). */
  readonly channels: number;
  /** Side of the non-overlapping square window (2 in LeNet-5). */
  readonly size: number;
  /** Coefficient per map [channels]. */
  readonly weight: Parameter;
  /** Bias per map [channels]. */
  readonly bias: Parameter;

  constructor(args: SubsamplingArgs) {
    super();
    checkPositiveInteger('Subsampling', 'channels', args.channels);
    checkPositiveInteger('Subsampling', 'size', args.size ?? 2);
    this.channels = args.channels;
    this.size = args.size ?? 2;
    const coefficient = args.initialCoefficient ?? 1 / (this.size * this.size);
    this.weight = this.addParameter('weight', tf.fill([args.channels], coefficient));
    this.bias = this.addParameter('bias', tf.zeros([args.channels]));
  }

  forward(x: tf.Tensor): tf.Tensor {
    const images = imageBatch(this.type, x, this.channels);
    this.#outputSize([images.shape[1], images.shape[2]]);
    return tf.tidy(() => {
      const area = this.size * this.size;
      // window sum = area * window mean
      const sums = tf.mul(tf.avgPool(images, this.size, this.size, 'valid'), area);
      return tf.add(tf.mul(sums, this.weight.variable), this.bias.variable);
    });
  }

  /** One MAC per unit (coefficient times the window sum); each unit reads size^2 inputs and a bias. */
  describe(inputShape: Shape): LayerDescription {
    const [h, w] = imageShape(this.type, inputShape, this.channels);
    const [oh, ow] = this.#outputSize([h, w]);
    const units = oh * ow * this.channels;
    return {
      outputShape: [oh, ow, this.channels],
      macs: units,
      connections: units * (this.size * this.size + 1),
      window: { kernel: [this.size, this.size], stride: [this.size, this.size] },
    };
  }

  #outputSize(input: [number, number]): [number, number] {
    const k: [number, number] = [this.size, this.size];
    return windowOutput(this.type, input, k, k, 'valid');
  }
}
