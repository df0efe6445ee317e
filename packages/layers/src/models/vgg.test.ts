import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { outputShapeOf } from '../summary/summarize.js';
import { fixedBatch, trainSteps } from '../testing/train-steps.js';
import { freezeFirst } from '../transfer/freeze.js';
import { vgg, vgg11, vgg16, vgg19 } from './vgg.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// Convolution weights per configuration (3x3 kernels, plus one bias per filter):
//   VGG-11: 9*(3*64 + 64*128 + 128*256 + 256*256 + 256*512 + 512*512 + 2*512*512) + 2,752
//     = 9,218,880 + 2,752 = 9,220,480 (2,752 = 64 + 128 + 2*256 + 4*512)
//   VGG-16: 14,714,688 (see summarize.test.ts)
//   VGG-19: VGG-16 + 256*256*9 + 256 + 2*(512*512*9 + 512) = 14,714,688 + 590,080
//     + 4,719,616 = 20,024,384
// Head on 224x224 (7x7x512 = 25,088 features): 102,764,544 + 16,781,312 + 4,097,000 = 123,642,856
const HEAD_224 = 123_642_856;

describe('vgg', () => {
  it('has the published counts on 224x224x3 with 1,000 classes', () => {
    // init 'zeros' builds without drawing 130M+ random numbers
    for (const [build, convs, total] of [
      [vgg11, 9_220_480, 132_863_336],
      [vgg16, 14_714_688, 138_357_544],
      [vgg19, 20_024_384, 143_667_240],
    ] as const) {
      const model = build({ init: 'zeros' });
      expect(model.parameterCount()).toBe(total);
      expect(convs + HEAD_224).toBe(total);
      model.dispose();
      const features = build({ init: 'zeros', head: false });
      expect(features.parameterCount()).toBe(convs);
      features.dispose();
    }
  });

  it('runs on 32x32 CIFAR images: [2, 32, 32, 3] -> [2, 10]; without the head [2, 1, 1, 512]', () => {
    // VGG-11 runs forward in the training test below
    for (const build of [vgg16, vgg19]) {
      const model = build({ inputShape: [32, 32, 3], classes: 10, seed: 1 }).eval();
      const x = tf.randomNormal([2, 32, 32, 3]);
      const y = tf.tidy(() => model.forward(x));
      expect(y.shape).toEqual([2, 10]);
      expect(y.dataSync().every(Number.isFinite)).toBe(true);
      tf.dispose([x, y]);
      model.dispose();
    }
    const features = vgg16({ inputShape: [32, 32, 3], head: false, init: 'zeros' });
    expect(outputShapeOf(features, [32, 32, 3])).toEqual([1, 1, 512]);
    // 32x32 -> 512 features: fc1 512*4096 + 4096 = 2,101,248 instead of 102,764,544
    expect(vgg16({ inputShape: [32, 32, 3], classes: 10, init: 'zeros' }).parameterCount()).toBe(
      14_714_688 + 2_101_248 + 16_781_312 + 40_970,
    );
    features.dispose();
  });

  it('VGG-11 maps [2, 32, 32, 3] to [2, 10] and trains its classifier with the convolutions frozen', () => {
    // A full VGG backward pass on the cpu backend takes minutes (its Conv2DBackpropFilter
    // runs at about 7.5 MMAC/s); the convolution gradients are checked on the small models.
    const model = vgg({ depth: 11, inputShape: [32, 32, 3], classes: 10, dropout: 0, seed: 2 });
    expect(freezeFirst(model, 8)).toHaveLength(8);
    const batch = fixedBatch([32, 32, 3], 2, 10);
    const { losses, outputShape } = trainSteps(model, batch, 1, 1e-4);
    expect(outputShape).toEqual([2, 10]);
    expect(losses[1]).toBeLessThan(losses[0]!);
    tf.dispose([batch.x, batch.labels]);
    model.dispose();
  });

  it('explains an input too small for five pools and an unknown depth', () => {
    expect(() => vgg16({ inputShape: [28, 28, 1] })).toThrow(
      'vgg16: input 28x28 does not survive the five 2x2 pools: height and width must be >= 32, got [28,28,1]',
    );
    expect(() => vgg({ depth: 13 as never })).toThrow('vgg: depth must be 11, 16 or 19, got 13');
  });
});
