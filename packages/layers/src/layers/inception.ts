import * as tf from '@tensorflow/tfjs-core';
import { Module, type Rng } from '@tunelab/core';
import { heNormal, type Initializer } from '../init/initializers.js';
import {
  type Composite,
  concatTraces,
  type SummaryVisitor,
  type Trace,
} from '../summary/describe.js';
import { Conv2D } from './conv2d.js';
import { checkPositiveInteger } from './linear.js';
import { MaxPool2D } from './pooling.js';
import { Sequential } from './sequential.js';

/** Options of {@link Inception}. Leave the reductions out for the naive module. */
export interface InceptionArgs {
  /** Channels of the input. */
  inputChannels: number;
  /** Filters of the 1x1 branch. */
  conv1x1: number;
  /** 1x1 filters before the 3x3 convolution ("#3x3 reduce"); absent: no reduction (naive). */
  reduce3x3?: number;
  /** Filters of the 3x3 convolution. */
  conv3x3: number;
  /** 1x1 filters before the 5x5 convolution ("#5x5 reduce"); absent: no reduction (naive). */
  reduce5x5?: number;
  /** Filters of the 5x5 convolution. */
  conv5x5: number;
  /** 1x1 filters after the 3x3 max pool ("pool proj"); absent: the pooled input passes as is (naive). */
  poolProjection?: number;
  /** Add a bias to every convolution. Default true. */
  bias?: boolean;
  /** Kernel initialiser. Default heNormal. */
  kernelInit?: Initializer;
  /** Generator for the initial weights. */
  rng: Rng;
}

/**
 * GoogLeNet's inception module: four branches over the same input, concatenated along the
 * channels: 1x1 conv; [1x1 reduce ->] 3x3 conv; [1x1 reduce ->] 5x5 conv; 3x3 max pool
 * (stride 1) [-> 1x1 projection]. All convolutions 'same' with ReLU. Without the bracketed
 * 1x1 layers it is the "naive" module of the paper's figure 2(a); with them, 2(b), whose
 * 1x1 reductions cut the cost (compare the two with {@link summarize}).
 * Parts: branch1x1, branch3x3, branch5x5, branchPool (each a Sequential).
 * Input [batch, h, w, in]; output [batch, h, w, conv1x1 + conv3x3 + conv5x5 + (poolProjection ?? in)].
 * Paper: Szegedy et al. 2014, "Going Deeper with Convolutions", https://arxiv.org/abs/1409.4842
 */
export class Inception extends Module implements Composite {
  readonly type = 'Inception';
  /** The four branches in concatenation order: 1x1, 3x3, 5x5, pool. */
  readonly branches: readonly Sequential[];

  constructor(args: InceptionArgs) {
    super();
    const cin = args.inputChannels;
    checkPositiveInteger('Inception', 'inputChannels', cin);
    const conv = (name: string, inputChannels: number, filters: number, kernelSize: number) =>
      new Conv2D({
        inputChannels,
        filters,
        kernelSize,
        padding: 'same',
        activation: 'relu',
        bias: args.bias ?? true,
        kernelInit: args.kernelInit ?? heNormal,
        rng: args.rng.fork(name),
      });
    const reduced = (name: string, reduce: number | undefined, filters: number, size: number) =>
      new Sequential(
        reduce === undefined
          ? { conv: conv(`${name}.conv`, cin, filters, size) }
          : {
              reduce: conv(`${name}.reduce`, cin, reduce, 1),
              conv: conv(`${name}.conv`, reduce, filters, size),
            },
      );
    const pool = new MaxPool2D({ poolSize: 3, strides: 1, padding: 'same' });
    this.branches = [
      this.addModule(
        'branch1x1',
        new Sequential({ conv: conv('branch1x1', cin, args.conv1x1, 1) }),
      ),
      this.addModule('branch3x3', reduced('branch3x3', args.reduce3x3, args.conv3x3, 3)),
      this.addModule('branch5x5', reduced('branch5x5', args.reduce5x5, args.conv5x5, 5)),
      this.addModule(
        'branchPool',
        new Sequential(
          args.poolProjection === undefined
            ? { pool }
            : { pool, projection: conv('branchPool', cin, args.poolProjection, 1) },
        ),
      ),
    ];
  }

  forward(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() =>
      tf.concat(
        this.branches.map((b) => b.forward(x)),
        3,
      ),
    );
  }

  /** Each branch from the same input, then a 'concat' row (a relabelling: no connections). */
  traceChildren(input: Trace, visit: SummaryVisitor): Trace {
    const outputs = this.namedChildren().map(([name, branch]) => visit.child(name, branch, input));
    const out = concatTraces(outputs);
    visit.op('concat', 'Concat', out, { macs: 0, connections: 0 });
    return out;
  }
}
