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

/** Options of {@link SeparableConv2D}. */
export interface SeparableConv2DArgs {
  /** Channels of the input. */
  inputChannels: number;
  /** Output channels of the pointwise (1x1) step. */
  filters: number;
  /** Depthwise window size, e.g. 3. */
  kernelSize: Size2;
  /** Depthwise filters per input channel. Default 1. */
  depthMultiplier?: number;
  /** Step of the depthwise window. Default 1. */
  strides?: Size2;
  /** 'same' or 'valid'. Default 'valid'. */
  padding?: Padding;
  /** Spacing between depthwise taps. Default 1 (strides or dilation above 1, not both). */
  dilation?: Size2;
  /** Add a learned bias after the pointwise step. Default true. */
  bias?: boolean;
  /** Activation fused into the pointwise step. Default 'linear' (none). */
  activation?: FusedActivation;
  /** Initialiser of both kernels (each with its own fans). Default glorotUniform. */
  kernelInit?: Initializer;
  /** Bias initialiser. Default zeros. */
  biasInit?: Initializer;
  /** Generator for the initial weights. */
  rng: Rng;
}

/**
 * Depthwise separable convolution, Keras's SeparableConv2D: a depthwise convolution (each
 * channel filtered alone, no bias) then a pointwise 1x1 convolution that mixes channels, with
 * one bias at the end. Kernels: depthwise [kh, kw, in, M], pointwise [1, 1, in*M, filters].
 * Input [batch, h, w, in]; output [batch, h', w', filters]. The pointwise step runs as
 * tf.fused.conv2d with bias and activation.
 * Parameters: kh * kw * in * M + in * M * filters + filters; 3x3, 32 -> 64 with M = 1 is
 * 288 + 2,048 + 64 = 2,400 (a full 3x3 Conv2D would have 18,496).
 * Paper: Chollet 2017, "Xception", https://arxiv.org/abs/1610.02357
 */
export class SeparableConv2D extends Module implements Describable {
  readonly type = 'SeparableConv2D';
  /** Channels of the input (the last axis). */
  readonly inputChannels: number;
  /** Output channels of the pointwise (1x1) step. */
  readonly filters: number;
  /** Depthwise outputs per input channel (inputChannels * depthMultiplier feed the 1x1 step). */
  readonly depthMultiplier: number;
  /** Depthwise kernel [height, width]. */
  readonly kernelSize: [number, number];
  /** Step [vertical, horizontal] of the depthwise step. */
  readonly strides: [number, number];
  /** 'valid' (no padding) or 'same' (out = ceil(in / stride)). */
  readonly padding: Padding;
  /** Spacing between depthwise kernel taps; 1 = none. */
  readonly dilation: [number, number];
  /** Activation after the pointwise step ('linear' = none). */
  readonly activation: FusedActivation;
  /** Depthwise kernel [kh, kw, inputChannels, depthMultiplier]. */
  readonly depthwise: Parameter;
  /** Pointwise kernel [1, 1, inputChannels * depthMultiplier, filters]. */
  readonly pointwise: Parameter;
  /** Bias [filters], or null. */
  readonly bias: Parameter | null;

  constructor(args: SeparableConv2DArgs) {
    super();
    const layer = 'SeparableConv2D';
    checkPositiveInteger(layer, 'inputChannels', args.inputChannels);
    checkPositiveInteger(layer, 'filters', args.filters);
    checkPositiveInteger(layer, 'depthMultiplier', args.depthMultiplier ?? 1);
    this.inputChannels = args.inputChannels;
    this.filters = args.filters;
    this.depthMultiplier = args.depthMultiplier ?? 1;
    this.kernelSize = pair(layer, 'kernelSize', args.kernelSize);
    this.strides = pair(layer, 'strides', args.strides ?? 1);
    this.dilation = pair(layer, 'dilation', args.dilation ?? 1);
    this.padding = checkPadding(layer, args.padding ?? 'valid');
    this.activation = checkFusedActivation(layer, args.activation ?? 'linear');
    checkStrideOrDilation(layer, this.strides, this.dilation);
    const init = args.kernelInit ?? glorotUniform;
    const dwShape = [...this.kernelSize, this.inputChannels, this.depthMultiplier];
    const pwShape = [1, 1, this.inputChannels * this.depthMultiplier, this.filters];
    const dwSize = dwShape.reduce((a, b) => a * b, 1);
    const pwSize = pwShape.reduce((a, b) => a * b, 1);
    this.depthwise = this.addParameter(
      'depthwise',
      tf.tensor(init(dwSize, fansOf(dwShape), args.rng.fork('depthwise')), dwShape),
    );
    this.pointwise = this.addParameter(
      'pointwise',
      tf.tensor(init(pwSize, fansOf(pwShape), args.rng.fork('pointwise')), pwShape),
    );
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
    const images = imageBatch(this.type, x, this.inputChannels);
    this.#outputSize([images.shape[1], images.shape[2]]);
    return tf.tidy(() => {
      const filtered = tf.depthwiseConv2d(
        images,
        this.depthwise.variable as tf.Tensor4D,
        this.strides,
        this.padding,
        'NHWC',
        this.dilation,
      );
      return fusedConv2d({
        x: filtered,
        filter: this.pointwise.variable as tf.Tensor4D,
        strides: 1,
        pad: 'valid',
        ...(this.bias ? { bias: this.bias.variable } : {}),
        activation: this.activation,
      });
    });
  }

  /**
   * Depthwise units read kh*kw inputs each; output units read in*M depthwise units plus the
   * bias. MACs and connections add both steps.
   */
  describe(inputShape: Shape): LayerDescription {
    const [h, w] = imageShape(this.type, inputShape, this.inputChannels);
    const [oh, ow] = this.#outputSize([h, w]);
    const middle = this.inputChannels * this.depthMultiplier;
    const taps = this.kernelSize[0] * this.kernelSize[1];
    const positions = oh * ow;
    return {
      outputShape: [oh, ow, this.filters],
      macs: positions * (middle * taps + middle * this.filters),
      connections: positions * (middle * taps + this.filters * (middle + (this.bias ? 1 : 0))),
      window: { kernel: dilatedKernel(this.kernelSize, this.dilation), stride: this.strides },
    };
  }

  #outputSize(input: [number, number]): [number, number] {
    const kernel = dilatedKernel(this.kernelSize, this.dilation);
    return windowOutput(this.type, input, kernel, this.strides, this.padding);
  }
}
