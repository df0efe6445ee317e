import * as tf from '@tensorflow/tfjs-core';
import { fusedConv2d, Module, type Parameter, type Rng } from '@tunelab/core';
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

/** Options of {@link Conv2D}. */
export interface Conv2DArgs {
  /** Channels of the input (its last axis). */
  inputChannels: number;
  /** Output channels (number of filters). */
  filters: number;
  /** Window size, e.g. 3 or [3, 5] for [height, width]. */
  kernelSize: Size2;
  /** Step of the window. Default 1. */
  strides?: Size2;
  /** 'same' (zero padding, output ceil(input / stride)) or 'valid' (no padding). Default 'valid'. */
  padding?: Padding;
  /** Spacing between kernel taps (atrous convolution). Default 1. tfjs allows strides or dilation above 1, not both. */
  dilation?: Size2;
  /** Add a learned bias per filter. Default true. */
  bias?: boolean;
  /** Activation fused into the convolution. Default 'linear' (none). */
  activation?: FusedActivation;
  /** Kernel initialiser (fans of [kh, kw, in, out]). Default glorotUniform. */
  kernelInit?: Initializer;
  /** Bias initialiser. Default zeros. */
  biasInit?: Initializer;
  /** Generator for the initial weights. */
  rng: Rng;
}

/**
 * 2-D convolution over NHWC images (cross-correlation, as every framework computes it):
 * y[n, i, j, o] = b[o] + sum_{u, v, c} x[n, i*s + u*d - p, j*s + v*d - p, c] * W[u, v, c, o],
 * with W of shape [kh, kw, in, out]. Input [batch, h, w, in]; output [batch, h', w', filters].
 * Runs as one fused kernel (convolution, bias, activation), also while gradients are
 * recorded for relu (core's fusedConv2d; tfjs's own tf.fused.conv2d splits it there).
 * Paper: LeCun et al. 1989, "Backpropagation applied to handwritten zip code recognition",
 * https://doi.org/10.1162/neco.1989.1.4.541
 */
export class Conv2D extends Module implements Describable {
  readonly type = 'Conv2D';
  /** Channels of the input (the last axis). */
  readonly inputChannels: number;
  /** Output channels. */
  readonly filters: number;
  /** Kernel [height, width]. */
  readonly kernelSize: [number, number];
  /** Step [vertical, horizontal]. */
  readonly strides: [number, number];
  /** 'valid' (none: out = floor((in - k) / s) + 1) or 'same' (out = ceil(in / s)). */
  readonly padding: Padding;
  /** Spacing between kernel taps [vertical, horizontal]; 1 = none. */
  readonly dilation: [number, number];
  /** Activation fused into the convolution ('linear' = none). */
  readonly activation: FusedActivation;
  /** Kernel [kh, kw, inputChannels, filters]. */
  readonly weight: Parameter;
  /** Bias [filters], or null. */
  readonly bias: Parameter | null;

  constructor(args: Conv2DArgs) {
    super();
    checkPositiveInteger('Conv2D', 'inputChannels', args.inputChannels);
    checkPositiveInteger('Conv2D', 'filters', args.filters);
    this.inputChannels = args.inputChannels;
    this.filters = args.filters;
    this.kernelSize = pair('Conv2D', 'kernelSize', args.kernelSize);
    this.strides = pair('Conv2D', 'strides', args.strides ?? 1);
    this.dilation = pair('Conv2D', 'dilation', args.dilation ?? 1);
    this.padding = checkPadding('Conv2D', args.padding ?? 'valid');
    this.activation = checkFusedActivation('Conv2D', args.activation ?? 'linear');
    checkStrideOrDilation('Conv2D', this.strides, this.dilation);
    const shape = [...this.kernelSize, args.inputChannels, args.filters];
    const size = shape.reduce((a, b) => a * b, 1);
    const kernel = (args.kernelInit ?? glorotUniform)(size, fansOf(shape), args.rng.fork('weight'));
    this.weight = this.addParameter('weight', tf.tensor(kernel, shape));
    this.bias =
      args.bias === false
        ? null
        : this.addParameter(
            'bias',
            tf.tensor1d(
              (args.biasInit ?? zeros)(args.filters, fansOf([args.filters]), args.rng.fork('bias')),
            ),
          );
  }

  forward(x: tf.Tensor): tf.Tensor {
    const images = imageBatch('Conv2D', x, this.inputChannels);
    this.#outputSize([images.shape[1], images.shape[2]]);
    return fusedConv2d({
      x: images,
      filter: this.weight.variable as tf.Tensor4D,
      strides: this.strides,
      pad: this.padding,
      dilations: this.dilation,
      ...(this.bias ? { bias: this.bias.variable } : {}),
      activation: this.activation,
    });
  }

  /** Each output unit reads kh*kw*in inputs (one MAC each) plus its bias. */
  describe(inputShape: Shape): LayerDescription {
    const [h, w] = imageShape('Conv2D', inputShape, this.inputChannels);
    const [oh, ow] = this.#outputSize([h, w]);
    const units = oh * ow * this.filters;
    const fanIn = this.kernelSize[0] * this.kernelSize[1] * this.inputChannels;
    return {
      outputShape: [oh, ow, this.filters],
      macs: units * fanIn,
      connections: units * (fanIn + (this.bias ? 1 : 0)),
      window: { kernel: dilatedKernel(this.kernelSize, this.dilation), stride: this.strides },
    };
  }

  #outputSize(input: [number, number]): [number, number] {
    const kernel = dilatedKernel(this.kernelSize, this.dilation);
    return windowOutput('Conv2D', input, kernel, this.strides, this.padding);
  }
}
