import * as tf from '@tensorflow/tfjs-core';
import { Module, type Rng } from '@tunelab/core';
import { heNormal, type Initializer } from '../init/initializers.js';
import {
  type Composite,
  mergeTraces,
  type SummaryVisitor,
  sizeOf,
  type Trace,
} from '../summary/describe.js';
import { BatchNorm } from './batch-norm.js';
import { Conv2D } from './conv2d.js';
import { checkPositiveInteger } from './linear.js';
import { Sequential } from './sequential.js';

/** Options of {@link BasicBlock}. */
export interface BasicBlockArgs {
  /** Channels of the input. */
  inputChannels: number;
  /** Channels of the output (filters of both 3x3 convolutions). */
  outputChannels: number;
  /** Stride of the first convolution (and of the projection). Default 1. */
  stride?: number;
  /** Kernel initialiser of the convolutions. Default heNormal (He et al. 2015). */
  kernelInit?: Initializer;
  /** Batch-norm momentum (weight of the new batch). Default 0.1. */
  momentum?: number;
  /** Generator for the initial weights. */
  rng: Rng;
}

/**
 * The residual block of ResNet-18/34: out = relu(F(x) + shortcut(x)) with
 * F = conv3x3(stride) -> BN -> relu -> conv3x3 -> BN (convolutions without bias, 'same'
 * padding). The shortcut is the identity, or a projection (1x1 conv with the stride, then BN)
 * when the stride is not 1 or the channel count changes (option B of the paper).
 * Parts: conv1, bn1, conv2, bn2 and, when projecting, shortcut (Sequential of conv and BN).
 * Input [batch, h, w, in]; output [batch, ceil(h / stride), ceil(w / stride), out].
 * Paper: He, Zhang, Ren & Sun 2015, "Deep Residual Learning for Image Recognition",
 * https://arxiv.org/abs/1512.03385
 */
export class BasicBlock extends Module implements Composite {
  readonly type = 'BasicBlock';
  /** First 3x3 convolution (stride `stride`, no bias). */
  readonly conv1: Conv2D;
  /** Batch norm after `conv1`, followed by ReLU. */
  readonly bn1: BatchNorm;
  /** Second 3x3 convolution (stride 1, no bias). */
  readonly conv2: Conv2D;
  /** Batch norm after `conv2`, before the residual addition. */
  readonly bn2: BatchNorm;
  /** The projection, or null for an identity shortcut. */
  readonly shortcut: Sequential | null;

  constructor(args: BasicBlockArgs) {
    super();
    const stride = args.stride ?? 1;
    checkPositiveInteger('BasicBlock', 'stride', stride);
    const { inputChannels: cin, outputChannels: cout, rng } = args;
    const kernelInit = args.kernelInit ?? heNormal;
    const bn = () => new BatchNorm({ channels: cout, momentum: args.momentum ?? 0.1 });
    const conv = (name: string, inputs: number, size: number, strides: number) =>
      new Conv2D({
        inputChannels: inputs,
        filters: cout,
        kernelSize: size,
        strides,
        padding: 'same',
        bias: false,
        kernelInit,
        rng: rng.fork(name),
      });
    this.conv1 = this.addModule('conv1', conv('conv1', cin, 3, stride));
    this.bn1 = this.addModule('bn1', bn());
    this.conv2 = this.addModule('conv2', conv('conv2', cout, 3, 1));
    this.bn2 = this.addModule('bn2', bn());
    this.shortcut =
      stride !== 1 || cin !== cout
        ? this.addModule('shortcut', new Sequential([conv('shortcut', cin, 1, stride), bn()]))
        : null;
  }

  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const h = this.bn1.forwardRelu(this.conv1.forward(x));
      const main = this.bn2.forward(this.conv2.forward(h));
      const skip = this.shortcut ? this.shortcut.forward(x) : x;
      return tf.relu(tf.add(main, skip));
    });
  }

  /**
   * Walks both branches from the same input; the addition (then ReLU) is a row of its own,
   * each unit wired to its two summands.
   */
  traceChildren(input: Trace, visit: SummaryVisitor): Trace {
    let main = visit.child('conv1', this.conv1, input);
    main = visit.child('bn1', this.bn1, main);
    main = visit.child('conv2', this.conv2, main);
    main = visit.child('bn2', this.bn2, main);
    const skip = this.shortcut ? visit.child('shortcut', this.shortcut, input) : input;
    const out = mergeTraces(main, skip);
    visit.op('add', 'Add+ReLU', out, { macs: 0, connections: 2 * sizeOf(out.shape) });
    return out;
  }
}
