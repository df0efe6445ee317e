import type { Module } from '@tunelab/core';
import { glorotUniform, heNormal } from '../init/initializers.js';
import { ReLU } from '../layers/activations.js';
import { BasicBlock } from '../layers/basic-block.js';
import { BatchNorm } from '../layers/batch-norm.js';
import { Conv2D } from '../layers/conv2d.js';
import { Linear } from '../layers/linear.js';
import { GlobalAvgPool } from '../layers/pooling.js';
import { Sequential } from '../layers/sequential.js';
import { classCount, imageInput, kernelInit, type ModelArgs, rngOf } from './args.js';

/**
 * ResNet-18 for CIFAR-sized images (the usual adaptation, e.g. the `resnet18` benchmark
 * workload): a 3x3 stem convolution with 64 filters (stride 1, no max pool) -> BN -> ReLU,
 * then four stages of two {@link BasicBlock}s at 64, 128, 256 and 512 channels (stages 2-4
 * start with stride 2 and a projection shortcut), global average pooling, and a dense layer.
 * Parts: conv1, bn1, relu, layer1..layer4 (each '0' and '1'), pool, fc.
 *
 * Input [batch, h, w, channels], default [32, 32, 3]; output [batch, classes]. With 10
 * classes it has 11,173,962 parameters. head: false ends at the pool ([512]).
 * Convolutions start He-normal (no bias, batch norm follows), fc Glorot-uniform.
 * Paper: He, Zhang, Ren & Sun 2015, "Deep Residual Learning for Image Recognition",
 * https://arxiv.org/abs/1512.03385
 */
export function resnet18(args: ModelArgs = {}): Sequential {
  const rng = rngOf(args.seed);
  const shape = args.inputShape ?? [32, 32, 3];
  const [, , channels] = imageInput('resnet18', shape);
  const classes = classCount('resnet18', args.classes ?? 10);
  const he = kernelInit(args, heNormal);
  const stage = (name: string, inputChannels: number, outputChannels: number, stride: number) =>
    new Sequential([
      new BasicBlock({
        inputChannels,
        outputChannels,
        stride,
        kernelInit: he,
        rng: rng.fork(`${name}.0`),
      }),
      new BasicBlock({
        inputChannels: outputChannels,
        outputChannels,
        kernelInit: he,
        rng: rng.fork(`${name}.1`),
      }),
    ]);
  const layers: Record<string, Module> = {
    conv1: new Conv2D({
      inputChannels: channels,
      filters: 64,
      kernelSize: 3,
      padding: 'same',
      bias: false,
      kernelInit: he,
      rng: rng.fork('conv1'),
    }),
    bn1: new BatchNorm({ channels: 64 }),
    relu: new ReLU(),
    layer1: stage('layer1', 64, 64, 1),
    layer2: stage('layer2', 64, 128, 2),
    layer3: stage('layer3', 128, 256, 2),
    layer4: stage('layer4', 256, 512, 2),
    pool: new GlobalAvgPool(),
  };
  if (args.head !== false) {
    layers.fc = new Linear({
      inputs: 512,
      outputs: classes,
      kernelInit: kernelInit(args, glorotUniform),
      rng: rng.fork('fc'),
    });
  }
  return new Sequential(layers);
}
