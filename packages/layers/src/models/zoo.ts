import type { Module } from '@tunelab/core';
import type { ModelArgs } from './args.js';
import { lenet5 } from './lenet5.js';
import { mlp } from './mlp.js';
import { resnet18 } from './resnet.js';
import { vgg11, vgg16, vgg19 } from './vgg.js';
import { basecnn, cnn4, linearWorkload, m2cnn, mlp2Workload, sepcnn5 } from './workloads.js';

/** A ready model: what it is, its default input, and how to build it. */
export interface ZooEntry {
  /** One line for listings. */
  readonly description: string;
  /** Input shape per example used when none is given. */
  readonly inputShape: readonly number[];
  /** Classes used when none are given. */
  readonly classes: number;
  /** Builds the model; unset options take the defaults above. */
  readonly build: (options?: ModelArgs) => Module;
}

/**
 * Names of the ready models, in the order the CLI lists them.
 * `zooNames[0]` is 'mlp'; `tunelab summary --help` lists them.
 */
export const zooNames = [
  'mlp',
  'lenet5',
  'vgg11',
  'vgg16',
  'vgg19',
  'resnet18',
  'linear',
  'mlp2',
  'cnn4',
  'sepcnn5',
  'basecnn',
  'm2cnn',
] as const;

/** A name from {@link zooNames}. */
export type ZooName = (typeof zooNames)[number];

const fashion = [28, 28, 1] as const;
const workload = (id: string) => `benchmark workload ${id} (shared/BENCHMARKS.md)`;

/**
 * The ready models by name. `resnet18` is both a zoo model and a benchmark workload.
 * `zoo.mlp.build({ seed: 1 })` is the 784-128-10 MLP; `zoo.lenet5.inputShape` is [32, 32, 1].
 */
export const zoo: Readonly<Record<ZooName, ZooEntry>> = {
  mlp: {
    description: 'multi-layer perceptron, one hidden layer of 128 ReLU units',
    inputShape: fashion,
    classes: 10,
    build: (o = {}) =>
      mlp({
        inputShape: o.inputShape ?? fashion,
        hidden: [128],
        classes: o.classes ?? 10,
        seed: o.seed ?? 0,
        ...(o.head === undefined ? {} : { head: o.head }),
        ...(o.init === undefined ? {} : { init: o.init }),
      }),
  },
  lenet5: {
    description: 'LeNet-5 (LeCun et al. 1998) with the C3 connection table',
    inputShape: [32, 32, 1],
    classes: 10,
    build: lenet5,
  },
  vgg11: {
    description: 'VGG-11 (Simonyan & Zisserman 2014, configuration A)',
    inputShape: [224, 224, 3],
    classes: 1000,
    build: vgg11,
  },
  vgg16: {
    description: 'VGG-16 (configuration D)',
    inputShape: [224, 224, 3],
    classes: 1000,
    build: vgg16,
  },
  vgg19: {
    description: 'VGG-19 (configuration E)',
    inputShape: [224, 224, 3],
    classes: 1000,
    build: vgg19,
  },
  resnet18: {
    description: `CIFAR ResNet-18 (He et al. 2015); ${workload('resnet18')}`,
    inputShape: [32, 32, 3],
    classes: 10,
    build: resnet18,
  },
  linear: {
    description: workload('linear'),
    inputShape: fashion,
    classes: 10,
    build: linearWorkload,
  },
  mlp2: { description: workload('mlp2'), inputShape: fashion, classes: 10, build: mlp2Workload },
  cnn4: { description: workload('cnn4'), inputShape: fashion, classes: 10, build: cnn4 },
  sepcnn5: { description: workload('sepcnn5'), inputShape: fashion, classes: 10, build: sepcnn5 },
  basecnn: { description: workload('basecnn'), inputShape: fashion, classes: 10, build: basecnn },
  m2cnn: { description: workload('m2cnn'), inputShape: fashion, classes: 10, build: m2cnn },
};

/**
 * True when `name` is a zoo model.
 * `isZooName('vgg16')` is true, `isZooName('vgg15')` false.
 */
export function isZooName(name: string): name is ZooName {
  return (zooNames as readonly string[]).includes(name);
}

/**
 * Builds zoo model `name`; throws listing the known names when there is none by that name.
 * `buildZooModel('resnet18', { classes: 10, seed: 1 })` is the CIFAR ResNet-18 (11,173,962
 * parameters).
 */
export function buildZooModel(name: string, options: ModelArgs = {}): Module {
  if (!isZooName(name)) {
    throw new Error(`unknown model "${name}": expected one of ${zooNames.join(', ')}`);
  }
  return zoo[name].build(options);
}
