import type { Module } from '@tunelab/core';
import { glorotUniform } from '../init/initializers.js';
import { LeCunTanh } from '../layers/activations.js';
import { Conv2D } from '../layers/conv2d.js';
import { Flatten } from '../layers/flatten.js';
import { Linear } from '../layers/linear.js';
import { PartialConv2D } from '../layers/partial-conv2d.js';
import { Sequential } from '../layers/sequential.js';
import { Subsampling } from '../layers/subsampling.js';
import { sizeOf } from '../summary/describe.js';
import { outputShapeOf } from '../summary/summarize.js';
import { classCount, imageInput, kernelInit, type ModelArgs, rngOf } from './args.js';

/**
 * Table I of LeCun et al. 1998: the S2 maps (0-5) that each C3 map (0-15) reads. Maps 0-5 read
 * three neighbouring maps, 6-11 four neighbours, 12-14 four non-neighbours, 15 all six:
 * 6*3 + 9*4 + 6 = 60 connections.
 */
export const LENET5_C3_TABLE: readonly (readonly number[])[] = [
  [0, 1, 2],
  [1, 2, 3],
  [2, 3, 4],
  [3, 4, 5],
  [0, 4, 5],
  [0, 1, 5],
  [0, 1, 2, 3],
  [1, 2, 3, 4],
  [2, 3, 4, 5],
  [0, 3, 4, 5],
  [0, 1, 4, 5],
  [0, 1, 2, 5],
  [0, 1, 3, 4],
  [1, 2, 4, 5],
  [0, 2, 3, 5],
  [0, 1, 2, 3, 4, 5],
];

/**
 * LeNet-5 as in LeCun et al. 1998, section II.B, on 32x32x1 inputs (MNIST padded by 2):
 *
 * | layer | what | parameters | connections |
 * |---|---|---|---|
 * | c1 | 6 convolutions 5x5 -> 28x28x6 | 6*(25+1) = 156 | 28*28*156 = 122,304 |
 * | s2 | trainable 2x2 subsampling | 6*2 = 12 | 14*14*6*(4+1) = 5,880 |
 * | c3 | 16 convolutions 5x5 on the Table I subsets -> 10x10x16 | 60*25 + 16 = 1,516 | 10*10*1,516 = 151,600 |
 * | s4 | trainable 2x2 subsampling | 16*2 = 32 | 5*5*16*5 = 2,000 |
 * | c5 | 120 convolutions 5x5 -> 1x1x120 | 120*(400+1) = 48,120 | 48,120 |
 * | f6 | dense 84 | 84*(120+1) = 10,164 | 10,164 |
 * | output | dense to `classes` | 84*10 + 10 = 850 | 850 |
 *
 * Trainable parameters: 60,000 up to f6, 60,850 in all. Every convolution and subsampling
 * layer, and f6, is followed by the paper's squashing function 1.7159 tanh(2a/3)
 * ({@link LeCunTanh}; rows act1..act6 in a summary).
 *
 * Decisions, documented: S2 and S4 are the original trainable subsampling layers
 * ({@link Subsampling}: coefficient and bias per map), not max pooling. The output layer is
 * a dense layer producing logits for softmax cross-entropy instead of the paper's Euclidean
 * RBF units with fixed hand-drawn codes (84*10 fixed weights, no bias); so the total is 10
 * connections above the paper's 340,908. Kernels start Glorot-uniform, not U(-2.4/F, 2.4/F).
 *
 * Input [batch, 32, 32, channels] (other sizes work: c5 then has a larger map, flattened);
 * output [batch, classes]. head: false ends after f6's activation ([84]).
 * Paper: LeCun, Bottou, Bengio & Haffner 1998, "Gradient-based learning applied to document
 * recognition", http://yann.lecun.com/exdb/publis/pdf/lecun-98.pdf
 */
export function lenet5(args: ModelArgs = {}): Sequential {
  const rng = rngOf(args.seed);
  const init = kernelInit(args, glorotUniform);
  const shape = args.inputShape ?? [32, 32, 1];
  const [, , channels] = imageInput('lenet5', shape);
  const classes = classCount('lenet5', args.classes ?? 10);
  const body: Record<string, Module> = {
    c1: new Conv2D({
      inputChannels: channels,
      filters: 6,
      kernelSize: 5,
      kernelInit: init,
      rng: rng.fork('c1'),
    }),
    act1: new LeCunTanh(),
    s2: new Subsampling({ channels: 6 }),
    act2: new LeCunTanh(),
    c3: new PartialConv2D({
      inputChannels: 6,
      table: LENET5_C3_TABLE,
      kernelSize: 5,
      kernelInit: init,
      rng: rng.fork('c3'),
    }),
    act3: new LeCunTanh(),
    s4: new Subsampling({ channels: 16 }),
    act4: new LeCunTanh(),
    c5: new Conv2D({
      inputChannels: 16,
      filters: 120,
      kernelSize: 5,
      kernelInit: init,
      rng: rng.fork('c5'),
    }),
    act5: new LeCunTanh(),
    flatten: new Flatten(),
  };
  let out: readonly number[] = shape;
  for (const layer of Object.values(body)) out = outputShapeOf(layer, out);
  const f6 = new Linear({
    inputs: sizeOf(out),
    outputs: 84,
    kernelInit: init,
    rng: rng.fork('f6'),
  });
  return new Sequential({
    ...body,
    f6,
    act6: new LeCunTanh(),
    ...(args.head === false
      ? {}
      : {
          output: new Linear({
            inputs: 84,
            outputs: classes,
            kernelInit: init,
            rng: rng.fork('output'),
          }),
        }),
  });
}
