import type { Module, Rng } from '@tunelab/core';
import { glorotUniform, type Initializer } from '../init/initializers.js';
import { Conv2D } from '../layers/conv2d.js';
import { Flatten } from '../layers/flatten.js';
import { Linear } from '../layers/linear.js';
import { GlobalAvgPool, MaxPool2D } from '../layers/pooling.js';
import { SeparableConv2D } from '../layers/separable-conv2d.js';
import { Sequential } from '../layers/sequential.js';
import { sizeOf } from '../summary/describe.js';
import { outputShapeOf } from '../summary/summarize.js';
import { classCount, imageInput, kernelInit, type ModelArgs, rngOf } from './args.js';

/*
 * The benchmark workloads of shared/BENCHMARKS.md, layer for layer. Defaults: input
 * [28, 28, 1] (Fashion-MNIST), 10 classes; kernels Glorot-uniform and biases zero (the
 * tfjs-layers defaults the PyTorch anchor scripts copy); activations fused into the layer
 * before them. Layers are named (conv1, pool1, fc1 ...) so summaries and weight files read well.
 */

type Layers = Record<string, Module>;

/** What every workload builder needs from its options. */
function setup(name: string, args: ModelArgs) {
  const rng = rngOf(args.seed);
  const init = kernelInit(args, glorotUniform);
  const shape = args.inputShape ?? [28, 28, 1];
  const classes = classCount(name, args.classes ?? 10);
  return { rng, init, shape, classes, head: args.head ?? true };
}

/** `features`, then (when `keep`) the head built for the features' output width. */
function assemble(
  features: Layers,
  head: (width: number) => Layers,
  keep: boolean,
  shape: readonly number[],
): Sequential {
  if (!keep) return new Sequential(features);
  let out: readonly number[] = shape;
  for (const layer of Object.values(features)) out = outputShapeOf(layer, out);
  return new Sequential({ ...features, ...head(sizeOf(out)) });
}

/**
 * `linear`: flatten 784 -> dense 10 (softmax regression; 7,850 parameters on 28x28x1).
 * Input [batch, ...inputShape]; output [batch, classes]. head: false keeps only the flatten.
 */
export function linearWorkload(args: ModelArgs = {}): Sequential {
  const { rng, init, shape, classes, head } = setup('linear', args);
  const inputs = sizeOf(shape);
  return new Sequential({
    flatten: new Flatten(),
    ...(head
      ? { fc1: new Linear({ inputs, outputs: classes, kernelInit: init, rng: rng.fork('fc1') }) }
      : {}),
  });
}

/**
 * `mlp2`: 784 -> dense 32 relu -> dense 32 relu -> dense 10 (26,506 parameters on 28x28x1).
 * Input [batch, ...inputShape]; output [batch, classes]. head: false drops the last dense.
 */
export function mlp2Workload(args: ModelArgs = {}): Sequential {
  const { rng, init, shape, classes, head } = setup('mlp2', args);
  const dense = (name: string, inputs: number, outputs: number, relu: boolean) =>
    new Linear({
      inputs,
      outputs,
      activation: relu ? 'relu' : 'linear',
      kernelInit: init,
      rng: rng.fork(name),
    });
  return new Sequential({
    flatten: new Flatten(),
    fc1: dense('fc1', sizeOf(shape), 32, true),
    fc2: dense('fc2', 32, 32, true),
    ...(head ? { fc3: dense('fc3', 32, classes, false) } : {}),
  });
}

/**
 * `cnn4`: conv 3x3x8 same relu -> maxpool 2 -> conv 3x3x8 same relu -> maxpool 2 -> flatten
 * -> dense 32 relu -> dense 10 (13,570 parameters on 28x28x1). Input [batch, h, w, c]
 * (h, w >= 4); output [batch, classes]. head: false ends at pool2 ([h/4, w/4, 8]).
 */
export function cnn4(args: ModelArgs = {}): Sequential {
  const { rng, init, shape, classes, head } = setup('cnn4', args);
  const [, , channels] = imageInput('cnn4', shape);
  const conv = (name: string, inputChannels: number) =>
    new Conv2D({
      inputChannels,
      filters: 8,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      kernelInit: init,
      rng: rng.fork(name),
    });
  const features = {
    conv1: conv('conv1', channels),
    pool1: new MaxPool2D({ poolSize: 2 }),
    conv2: conv('conv2', 8),
    pool2: new MaxPool2D({ poolSize: 2 }),
  };
  return assemble(features, (width) => denseHead(width, classes, init, rng), head, shape);
}

/**
 * `sepcnn5`: separable conv 3x3 -> 8 same relu -> separable conv 3x3 -> 4 same relu ->
 * maxpool 2 -> flatten -> dense 32 relu -> dense 10 (25,583 parameters on 28x28x1).
 * Separable = depthwise 3x3 without bias, then pointwise 1x1 with bias (Keras's layer).
 * Input [batch, h, w, c]; output [batch, classes]. head: false ends at pool1.
 */
export function sepcnn5(args: ModelArgs = {}): Sequential {
  const { rng, init, shape, classes, head } = setup('sepcnn5', args);
  const [, , channels] = imageInput('sepcnn5', shape);
  const sep = (name: string, inputChannels: number, filters: number) =>
    new SeparableConv2D({
      inputChannels,
      filters,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      kernelInit: init,
      rng: rng.fork(name),
    });
  const features = {
    sep1: sep('sep1', channels, 8),
    sep2: sep('sep2', 8, 4),
    pool1: new MaxPool2D({ poolSize: 2 }),
  };
  return assemble(features, (width) => denseHead(width, classes, init, rng), head, shape);
}

/**
 * `basecnn`: conv 2x2x16 same relu -> maxpool 2 -> conv 2x2x32 same relu -> global avg pool
 * -> dense 10 (2,490 parameters on 28x28x1). Input [batch, h, w, c]; output [batch, classes].
 * head: false ends at the global pool ([32]).
 */
export function basecnn(args: ModelArgs = {}): Sequential {
  return gapCnn('basecnn', args, 2, [16, 32]);
}

/**
 * `m2cnn`: conv 3x3x16 same relu -> maxpool 2 -> conv 3x3x32 same relu -> maxpool 2 -> conv
 * 3x3x64 same relu -> global avg pool -> dense 10 (23,946 parameters on 28x28x1).
 * Input [batch, h, w, c]; output [batch, classes]. head: false ends at the global pool ([64]).
 */
export function m2cnn(args: ModelArgs = {}): Sequential {
  return gapCnn('m2cnn', args, 3, [16, 32, 64]);
}

/** conv (+ maxpool between convs) ... -> global average pool -> dense. */
function gapCnn(
  name: string,
  args: ModelArgs,
  kernelSize: number,
  widths: readonly number[],
): Sequential {
  const { rng, init, shape, classes, head } = setup(name, args);
  let inputChannels = imageInput(name, shape)[2];
  const layers: Layers = {};
  widths.forEach((filters, i) => {
    if (i > 0) layers[`pool${i}`] = new MaxPool2D({ poolSize: 2 });
    const conv = `conv${i + 1}`;
    layers[conv] = new Conv2D({
      inputChannels,
      filters,
      kernelSize,
      padding: 'same',
      activation: 'relu',
      kernelInit: init,
      rng: rng.fork(conv),
    });
    inputChannels = filters;
  });
  layers.gap = new GlobalAvgPool();
  if (head)
    layers.fc1 = new Linear({
      inputs: inputChannels,
      outputs: classes,
      kernelInit: init,
      rng: rng.fork('fc1'),
    });
  return new Sequential(layers);
}

/** flatten -> dense 32 relu -> dense classes. */
function denseHead(width: number, classes: number, init: Initializer, rng: Rng): Layers {
  return {
    flatten: new Flatten(),
    fc1: new Linear({
      inputs: width,
      outputs: 32,
      activation: 'relu',
      kernelInit: init,
      rng: rng.fork('fc1'),
    }),
    fc2: new Linear({ inputs: 32, outputs: classes, kernelInit: init, rng: rng.fork('fc2') }),
  };
}
