import * as tf from '@tensorflow/tfjs-core';
import { Module, type Parameter, type Rng } from '@tunelab/core';
import { fansOf, glorotUniform, type Initializer, zeros } from '../init/initializers.js';
import type { Describable, LayerDescription, Shape } from '../summary/describe.js';
import { checkPositiveInteger } from './linear.js';
import {
  checkPadding,
  imageBatch,
  imageShape,
  type Padding,
  pair,
  type Size2,
  windowOutput,
} from './spatial.js';

/** Options of {@link PartialConv2D}. */
export interface PartialConv2DArgs {
  /** Channels of the input. */
  inputChannels: number;
  /**
   * Connection table: entry o lists the input channels that output channel o reads, e.g.
   * LeNet-5's C3 map 0 reads [0, 1, 2]. Its length is the number of output channels.
   */
  table: readonly (readonly number[])[];
  /** Window size, e.g. 5. */
  kernelSize: Size2;
  /** Step of the window. Default 1. */
  strides?: Size2;
  /** 'same' or 'valid'. Default 'valid'. */
  padding?: Padding;
  /** Add a learned bias per output channel. Default true. */
  bias?: boolean;
  /** Kernel initialiser; fans average over the table's outputs and inputs. Default glorotUniform. */
  kernelInit?: Initializer;
  /** Bias initialiser. Default zeros. */
  biasInit?: Initializer;
  /** Generator for the initial weights. */
  rng: Rng;
}

/**
 * A convolution in which each output channel reads only the input channels its connection
 * table lists (LeNet-5's layer C3: "to break symmetry" and to keep the count down). Only the
 * listed kernel slices are parameters: `weight` is [kh, kw, E] for the table's E pairs, in
 * table order (output 0's inputs, then output 1's...). The forward pass scatters them into a
 * full [kh, kw, in, out] kernel, zero elsewhere, with a product by a constant 0/1 selection
 * matrix (differentiable), then runs one tf.fused.conv2d.
 * Parameters: kh * kw * E + out biases; C3 has 5 * 5 * 60 + 16 = 1,516.
 * ```ts
 * // 3 inputs -> 2 outputs: output 0 reads inputs 0 and 1, output 1 reads input 2 (E = 3).
 * const layer = new PartialConv2D({
 *   inputChannels: 3,
 *   table: [[0, 1], [2]],
 *   kernelSize: 5,
 *   rng: Rng.fromSeed(0),
 * });
 * layer.weight.shape; // [5, 5, 3]
 * ```
 * Paper: LeCun et al. 1998, "Gradient-based learning applied to document recognition",
 * section II.B and Table I, http://yann.lecun.com/exdb/publis/pdf/lecun-98.pdf
 */
export class PartialConv2D extends Module implements Describable {
  readonly type = 'PartialConv2D';
  /** Channels of the input (the last axis). */
  readonly inputChannels: number;
  /** Connection table: entry o lists the input channels output channel o reads. */
  readonly table: readonly (readonly number[])[];
  /** Kernel [height, width]. */
  readonly kernelSize: [number, number];
  /** Step [vertical, horizontal]. */
  readonly strides: [number, number];
  /** 'valid' (no padding) or 'same' (out = ceil(in / stride)). */
  readonly padding: Padding;
  /** Kernel slices [kh, kw, E], E = number of (input, output) pairs in the table. */
  readonly weight: Parameter;
  /** Bias [outputs], or null. */
  readonly bias: Parameter | null;
  /** Selection [E, in * out]: entry (e, i * out + o) is 1 when pair e is input i of output o. */
  readonly #selection: tf.Tensor2D;

  constructor(args: PartialConv2DArgs) {
    super();
    const layer = 'PartialConv2D';
    checkPositiveInteger(layer, 'inputChannels', args.inputChannels);
    checkTable(args.table, args.inputChannels);
    this.inputChannels = args.inputChannels;
    this.table = args.table.map((inputs) => [...inputs]);
    this.kernelSize = pair(layer, 'kernelSize', args.kernelSize);
    this.strides = pair(layer, 'strides', args.strides ?? 1);
    this.padding = checkPadding(layer, args.padding ?? 'valid');
    const outputs = this.outputChannels;
    const pairs = this.connections;
    const taps = this.kernelSize[0] * this.kernelSize[1];
    const fans = { fanIn: (taps * pairs) / outputs, fanOut: (taps * pairs) / this.inputChannels };
    const kernel = (args.kernelInit ?? glorotUniform)(taps * pairs, fans, args.rng.fork('weight'));
    this.weight = this.addParameter('weight', tf.tensor3d(kernel, [...this.kernelSize, pairs]));
    this.bias =
      args.bias === false
        ? null
        : this.addParameter(
            'bias',
            tf.tensor1d(
              (args.biasInit ?? zeros)(outputs, fansOf([outputs]), args.rng.fork('bias')),
            ),
          );
    const selection = new Float32Array(pairs * this.inputChannels * outputs);
    let e = 0;
    this.table.forEach((inputs, o) => {
      for (const i of inputs) selection[e++ * this.inputChannels * outputs + i * outputs + o] = 1;
    });
    this.#selection = tf.tensor2d(selection, [pairs, this.inputChannels * outputs]);
  }

  /** Output channels: the table's length. */
  get outputChannels(): number {
    return this.table.length;
  }

  /** (input, output) channel pairs wired together: the table's total length. */
  get connections(): number {
    return this.table.reduce((n, inputs) => n + inputs.length, 0);
  }

  /** The full kernel [kh, kw, in, out] with zeros where the table has no connection. */
  fullKernel(): tf.Tensor4D {
    return tf.tidy(() => {
      const [kh, kw] = this.kernelSize;
      const slices = tf.reshape(this.weight.variable, [kh * kw, this.connections]) as tf.Tensor2D;
      return tf.reshape(tf.matMul(slices, this.#selection), [
        kh,
        kw,
        this.inputChannels,
        this.outputChannels,
      ]);
    });
  }

  forward(x: tf.Tensor): tf.Tensor {
    const images = imageBatch(this.type, x, this.inputChannels);
    this.#outputSize([images.shape[1], images.shape[2]]);
    return tf.tidy(() =>
      tf.fused.conv2d({
        x: images,
        filter: this.fullKernel(),
        strides: this.strides,
        pad: this.padding,
        ...(this.bias ? { bias: this.bias.variable } : {}),
      }),
    );
  }

  /** Each output unit reads kh*kw inputs from each listed channel (one MAC each) plus its bias. */
  describe(inputShape: Shape): LayerDescription {
    const [h, w] = imageShape(this.type, inputShape, this.inputChannels);
    const [oh, ow] = this.#outputSize([h, w]);
    const taps = this.kernelSize[0] * this.kernelSize[1];
    const positions = oh * ow;
    return {
      outputShape: [oh, ow, this.outputChannels],
      macs: positions * taps * this.connections,
      connections: positions * (taps * this.connections + (this.bias ? this.outputChannels : 0)),
      window: { kernel: this.kernelSize, stride: this.strides },
    };
  }

  override dispose(): void {
    super.dispose();
    this.#selection.dispose();
  }

  #outputSize(input: [number, number]): [number, number] {
    return windowOutput(this.type, input, this.kernelSize, this.strides, this.padding);
  }
}

function checkTable(table: readonly (readonly number[])[], inputs: number): void {
  if (table.length === 0) throw new Error('PartialConv2D: table must list at least one output');
  table.forEach((row, o) => {
    const valid = row.every((i) => Number.isInteger(i) && i >= 0 && i < inputs);
    if (row.length === 0 || !valid || new Set(row).size !== row.length) {
      throw new Error(
        `PartialConv2D: table[${o}] must list distinct input channels in 0..${inputs - 1}, got [${row}]`,
      );
    }
  });
}
