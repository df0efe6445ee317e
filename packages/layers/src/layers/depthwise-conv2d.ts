import * as tf from '@tensorflow/tfjs-core';
import { Module, type Parameter, type Rng } from '@tunelab/core';
import { fansOf, glorotUniform, type Initializer, zeros } from '../init/initializers.js';
import type { Describable, LayerDescription, Shape } from '../summary/describe.js';
import { checkFusedActivation, type FusedActivation } from './activations.js';
import { checkPositiveInteger } from './linear.js';
import {
  checkPadding,
  checkStrideOrDilation,
  dilatedKernel,
  imageBatch,
  imageShape,
  type Padding,
  pair,
  type Size2,
  windowOutput,
} from './spatial.js';

/** Options of {@link DepthwiseConv2D}. */
export interface DepthwiseConv2DArgs {
  /** Channels of the input; each is filtered on its own. */
  inputChannels: number;
  /** Filters per input channel; output channels = inputChannels * depthMultiplier. Default 1. */
  depthMultiplier?: number;
  /** Window size, e.g. 3 or [3, 5]. */
  kernelSize: Size2;
  /** Step of the window. Default 1. */
  strides?: Size2;
  /** 'same' or 'valid'. Default 'valid'. */
  padding?: Padding;
  /** Spacing between kernel taps. Default 1 (strides or dilation above 1, not both). */
  dilation?: Size2;
  /** Add a learned bias per output channel. Default true. */
  bias?: boolean;
  /** Activation fused into the convolution. Default 'linear' (none). */
  activation?: FusedActivation;
  /** Kernel initialiser (fans of [kh, kw, in, multiplier]). Default glorotUniform. */
  kernelInit?: Initializer;
  /** Bias initialiser. Default zeros. */
  biasInit?: Initializer;
  /** Generator for the initial weights. */
  rng: Rng;
}

/**
 * Depthwise 2-D convolution: every input channel c has its own `depthMultiplier` filters and
 * sees only itself, y[n, i, j, c*M + m] = b + sum_{u, v} x[n, i*s + u, j*s + v, c] W[u, v, c, m].
 * Kernel [kh, kw, in, M]. Input [batch, h, w, in]; output [batch, h', w', in * M].
 * Runs as one tf.fused.depthwiseConv2d.
 * Paper: Chollet 2017, "Xception: Deep Learning with Depthwise Separable Convolutions",
 * https://arxiv.org/abs/1610.02357
 */
export class DepthwiseConv2D extends Module implements Describable {
  readonly type = 'DepthwiseConv2D';
  /** Channels of the input (the last axis). */
  readonly inputChannels: number;
  /** Output channels per input channel: out = inputChannels * depthMultiplier. */
  readonly depthMultiplier: number;
  /** Kernel [height, width]. */
  readonly kernelSize: [number, number];
  /** Step [vertical, horizontal]. */
  readonly strides: [number, number];
  /** 'valid' (no padding) or 'same' (out = ceil(in / stride)). */
  readonly padding: Padding;
  /** Spacing between kernel taps [vertical, horizontal]; 1 = none. */
  readonly dilation: [number, number];
  /** Activation fused into the convolution ('linear' = none). */
  readonly activation: FusedActivation;
  /** Kernel [kh, kw, inputChannels, depthMultiplier]. */
  readonly weight: Parameter;
  /** Bias [inputChannels * depthMultiplier], or null. */
  readonly bias: Parameter | null;

  constructor(args: DepthwiseConv2DArgs) {
    super();
    const layer = 'DepthwiseConv2D';
    checkPositiveInteger(layer, 'inputChannels', args.inputChannels);
    checkPositiveInteger(layer, 'depthMultiplier', args.depthMultiplier ?? 1);
    this.inputChannels = args.inputChannels;
    this.depthMultiplier = args.depthMultiplier ?? 1;
    this.kernelSize = pair(layer, 'kernelSize', args.kernelSize);
    this.strides = pair(layer, 'strides', args.strides ?? 1);
    this.dilation = pair(layer, 'dilation', args.dilation ?? 1);
    this.padding = checkPadding(layer, args.padding ?? 'valid');
    this.activation = checkFusedActivation(layer, args.activation ?? 'linear');
    checkStrideOrDilation(layer, this.strides, this.dilation);
    const shape = [...this.kernelSize, this.inputChannels, this.depthMultiplier];
    const size = shape.reduce((a, b) => a * b, 1);
    const kernel = (args.kernelInit ?? glorotUniform)(size, fansOf(shape), args.rng.fork('weight'));
    this.weight = this.addParameter('weight', tf.tensor(kernel, shape));
    const outputs = this.outputChannels;
    this.bias =
      args.bias === false
        ? null
        : this.addParameter(
            'bias',
            tf.tensor1d(
              (args.biasInit ?? zeros)(outputs, fansOf([outputs]), args.rng.fork('bias')),
            ),
          );
  }

  /** inputChannels * depthMultiplier. */
  get outputChannels(): number {
    return this.inputChannels * this.depthMultiplier;
  }

  forward(x: tf.Tensor): tf.Tensor {
    const images = imageBatch(this.type, x, this.inputChannels);
    this.#outputSize([images.shape[1], images.shape[2]]);
    return tf.fused.depthwiseConv2d({
      x: images,
      filter: this.weight.variable as tf.Tensor4D,
      strides: this.strides,
      pad: this.padding,
      dilations: this.dilation,
      ...(this.bias ? { bias: this.bias.variable } : {}),
      activation: this.activation,
    });
  }

  /** Each output unit reads kh*kw inputs of one channel (one MAC each) plus its bias. */
  describe(inputShape: Shape): LayerDescription {
    const [h, w] = imageShape(this.type, inputShape, this.inputChannels);
    const [oh, ow] = this.#outputSize([h, w]);
    const units = oh * ow * this.outputChannels;
    const fanIn = this.kernelSize[0] * this.kernelSize[1];
    return {
      outputShape: [oh, ow, this.outputChannels],
      macs: units * fanIn,
      connections: units * (fanIn + (this.bias ? 1 : 0)),
      window: { kernel: dilatedKernel(this.kernelSize, this.dilation), stride: this.strides },
    };
  }

  #outputSize(input: [number, number]): [number, number] {
    const kernel = dilatedKernel(this.kernelSize, this.dilation);
    return windowOutput(this.type, input, kernel, this.strides, this.padding);
  }
}
