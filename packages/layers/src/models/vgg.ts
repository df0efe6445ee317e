import type { Module } from '@tunelab/core';
import { glorotUniform, heNormal } from '../init/initializers.js';
import { Conv2D } from '../layers/conv2d.js';
import { Dropout } from '../layers/dropout.js';
import { Flatten } from '../layers/flatten.js';
import { Linear } from '../layers/linear.js';
import { MaxPool2D } from '../layers/pooling.js';
import { Sequential } from '../layers/sequential.js';
import { classCount, imageInput, kernelInit, type ModelArgs, rngOf } from './args.js';

/** The VGG configurations of Simonyan & Zisserman's Table 1 (A = 11, D = 16, E = 19 weight layers). */
export type VggDepth = 11 | 16 | 19;

/** Convolution widths per block; each block ends with a 2x2 max pool. */
const BLOCKS: Readonly<Record<VggDepth, readonly (readonly number[])[]>> = {
  11: [[64], [128], [256, 256], [512, 512], [512, 512]],
  16: [
    [64, 64],
    [128, 128],
    [256, 256, 256],
    [512, 512, 512],
    [512, 512, 512],
  ],
  19: [
    [64, 64],
    [128, 128],
    [256, 256, 256, 256],
    [512, 512, 512, 512],
    [512, 512, 512, 512],
  ],
};

/** Options of {@link vgg}. */
export interface VggArgs extends ModelArgs {
  /** Weight layers: 11, 16 or 19. */
  depth: VggDepth;
  /** Dropout rate after fc1 and fc2. Default 0.5 (the paper's). */
  dropout?: number;
}

/**
 * VGG-11/16/19: blocks of 3x3 'same' convolutions with ReLU, each block closed by a 2x2 max
 * pool (five pools), then the head: flatten -> fc1 4096 relu -> dropout -> fc2 4096 relu ->
 * dropout -> predictions (`classes` logits). Layer names follow Keras (block1_conv1,
 * block1_pool, ..., fc1, fc2, predictions).
 *
 * Input [batch, h, w, channels], any h, w >= 32 (each pool halves, rounding down); default
 * [224, 224, 3] with 1,000 classes, where VGG-16 has 138,357,544 parameters (VGG-11
 * 132,863,336; VGG-19 143,667,240). The flatten width is (h/32)*(w/32)*512, so other sizes
 * change fc1 only. head: false ends at block5_pool ([h/32, w/32, 512]).
 *
 * Initialisation: He-normal kernels (the paper pre-trained the deeper nets from VGG-11;
 * He et al. 2015 made that unnecessary), Glorot-uniform for predictions, zero biases.
 * Paper: Simonyan & Zisserman 2014, "Very Deep Convolutional Networks for Large-Scale Image
 * Recognition", https://arxiv.org/abs/1409.1556
 */
export function vgg(args: VggArgs): Sequential {
  const name = `vgg${args.depth}`;
  const blocks = BLOCKS[args.depth];
  if (!blocks) throw new Error(`vgg: depth must be 11, 16 or 19, got ${args.depth}`);
  const rng = rngOf(args.seed);
  const shape = args.inputShape ?? [224, 224, 3];
  const [height, width, channels] = imageInput(name, shape);
  if (height < 32 || width < 32) {
    throw new Error(
      `${name}: input ${height}x${width} does not survive the five 2x2 pools: height and width must be >= 32, got [${shape}]`,
    );
  }
  const classes = classCount(name, args.classes ?? 1000);
  const he = kernelInit(args, heNormal);
  const layers: Record<string, Module> = {};
  let inputChannels = channels;
  blocks.forEach((widths, b) => {
    widths.forEach((filters, i) => {
      const conv = `block${b + 1}_conv${i + 1}`;
      layers[conv] = new Conv2D({
        inputChannels,
        filters,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelInit: he,
        rng: rng.fork(conv),
      });
      inputChannels = filters;
    });
    layers[`block${b + 1}_pool`] = new MaxPool2D({ poolSize: 2 });
  });
  if (args.head === false) return new Sequential(layers);

  const rate = args.dropout ?? 0.5;
  const features = Math.floor(height / 32) * Math.floor(width / 32) * inputChannels;
  const fc = (fcName: string, inputs: number) =>
    new Linear({
      inputs,
      outputs: 4096,
      activation: 'relu',
      kernelInit: he,
      rng: rng.fork(fcName),
    });
  return new Sequential({
    ...layers,
    flatten: new Flatten(),
    fc1: fc('fc1', features),
    dropout1: new Dropout({ rate, rng: rng.fork('dropout1') }),
    fc2: fc('fc2', 4096),
    dropout2: new Dropout({ rate, rng: rng.fork('dropout2') }),
    predictions: new Linear({
      inputs: 4096,
      outputs: classes,
      kernelInit: kernelInit(args, glorotUniform),
      rng: rng.fork('predictions'),
    }),
  });
}

/**
 * VGG-11 (configuration A): 8 convolutions + 3 dense layers. See {@link vgg}.
 * 132,863,336 parameters at 224x224x3 and 1,000 classes.
 */
export function vgg11(args: ModelArgs = {}): Sequential {
  return vgg({ ...args, depth: 11 });
}

/**
 * VGG-16 (configuration D): 13 convolutions + 3 dense layers. See {@link vgg}.
 * 138,357,544 parameters at 224x224x3 and 1,000 classes:
 * `summarize(vgg16({ init: 'zeros' }), [224, 224, 3]).totals.params`.
 */
export function vgg16(args: ModelArgs = {}): Sequential {
  return vgg({ ...args, depth: 16 });
}

/**
 * VGG-19 (configuration E): 16 convolutions + 3 dense layers. See {@link vgg}.
 * 143,667,240 parameters at 224x224x3 and 1,000 classes.
 */
export function vgg19(args: ModelArgs = {}): Sequential {
  return vgg({ ...args, depth: 19 });
}
