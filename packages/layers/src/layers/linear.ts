import * as tf from '@tensorflow/tfjs-core';
import { type DenseChainLink, fusedMatMul, Module, type Parameter, type Rng } from '@tunelab/core';
import { fansOf, glorotUniform, type Initializer, zeros } from '../init/initializers.js';
import type { Describable, LayerDescription, Shape } from '../summary/describe.js';
import { checkFusedActivation, type FusedActivation } from './activations.js';

/** Options of {@link Linear}. */
export interface LinearArgs {
  /** Input features (the last dimension of the input). */
  inputs: number;
  /** Output features. */
  outputs: number;
  /** Add a learned bias. Default true. */
  bias?: boolean;
  /** Activation fused into the product (tf.fused.matMul). Default 'linear' (none). */
  activation?: FusedActivation;
  /** Kernel initialiser. Default glorotUniform. */
  kernelInit?: Initializer;
  /** Bias initialiser. Default zeros. */
  biasInit?: Initializer;
  /** Generator for the initial weights. */
  rng: Rng;
}

/**
 * Fully connected layer: y = x W + b, with W of shape [inputs, outputs]. Input [batch,
 * inputs], output [batch, outputs]. Uses tfjs's fused matMul + bias (+ activation).
 */
export class Linear extends Module implements Describable {
  readonly type = 'Linear';
  /** Features in. */
  readonly inputs: number;
  /** Features out. */
  readonly outputs: number;
  /** Activation fused into the product ('linear' = none). */
  readonly activation: FusedActivation;
  /** Kernel W [inputs, outputs]: y = x W + b. */
  readonly weight: Parameter;
  /** Bias b [outputs], or null when built with `bias: false`. */
  readonly bias: Parameter | null;

  constructor(args: LinearArgs) {
    super();
    checkPositiveInteger('Linear', 'inputs', args.inputs);
    checkPositiveInteger('Linear', 'outputs', args.outputs);
    this.inputs = args.inputs;
    this.outputs = args.outputs;
    this.activation = checkFusedActivation('Linear', args.activation ?? 'linear');
    const shape = [args.inputs, args.outputs];
    const kernel = (args.kernelInit ?? glorotUniform)(
      args.inputs * args.outputs,
      fansOf(shape),
      args.rng.fork('weight'),
    );
    this.weight = this.addParameter('weight', tf.tensor2d(kernel, [args.inputs, args.outputs]));
    this.bias =
      args.bias === false
        ? null
        : this.addParameter(
            'bias',
            tf.tensor1d(
              (args.biasInit ?? zeros)(args.outputs, fansOf([args.outputs]), args.rng.fork('bias')),
            ),
          );
  }

  forward(x: tf.Tensor): tf.Tensor {
    if (x.rank !== 2 || x.shape[1] !== this.inputs) {
      throw new Error(`Linear: expected input [batch, ${this.inputs}], got [${x.shape}]`);
    }
    return fusedMatMul({
      a: x as tf.Tensor2D,
      b: this.weight.variable as tf.Tensor2D,
      ...(this.bias ? { bias: this.bias.variable } : {}),
      activation: this.activation,
    });
  }

  /** This layer as one link of a dense chain: with a bias and relu or no activation only. */
  override denseChain(): readonly DenseChainLink[] | null {
    if (!this.bias || (this.activation !== 'relu' && this.activation !== 'linear')) return null;
    return [{ kind: 'dense', weight: this.weight, bias: this.bias, activation: this.activation }];
  }

  /** inputs x outputs MACs; each output unit is wired to every input plus its bias. */
  describe(inputShape: Shape): LayerDescription {
    if (inputShape.length !== 1 || inputShape[0] !== this.inputs) {
      throw new Error(
        `Linear: expected input [${this.inputs}], got [${inputShape}]` +
          (inputShape.length > 1 ? ' (put a Flatten before it)' : ''),
      );
    }
    return {
      outputShape: [this.outputs],
      macs: this.inputs * this.outputs,
      connections: this.outputs * (this.inputs + (this.bias ? 1 : 0)),
      window: 'global',
    };
  }
}

export function checkPositiveInteger(layer: string, field: string, value: number): void {
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${layer}: ${field} must be a positive integer, got ${value}`);
}
