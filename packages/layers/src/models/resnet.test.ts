import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { outputShapeOf, summarize } from '../summary/summarize.js';
import { fixedBatch, trainSteps } from '../testing/train-steps.js';
import { resnet18 } from './resnet.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('resnet18 (CIFAR)', () => {
  it('has 11,173,962 parameters with 10 classes', () => {
    // stem: 3*3*3*64 + BN 2*64 = 1,856
    // layer1: 2 blocks * 2 * (3*3*64*64 + 128) = 147,968
    // layer2: (3*3*64*128 + 256) + (3*3*128*128 + 256) + (64*128 + 256) + 2*(147,456 + 256) = 525,568
    // layer3: (294,912 + 512) + (589,824 + 512) + (32,768 + 512) + 2*(589,824 + 512) = 2,099,712
    // layer4: (1,179,648 + 1,024) + (2,359,296 + 1,024) + (131,072 + 1,024) + 2*(2,359,296 + 1,024) = 8,393,728
    // fc: 512*10 + 10 = 5,130
    const model = resnet18({ init: 'zeros' });
    expect(model.parameterCount()).toBe(11_173_962);
    // BN running statistics are buffers: 2 per channel over 64 + 4*64 + 4*128 + 4*256 + 4*512 + 3 projections (128 + 256 + 512)
    expect(model.namedBuffers()).toHaveLength(2 * 20);
    model.dispose();
    expect(resnet18({ classes: 100, init: 'zeros' }).parameterCount()).toBe(
      11_173_962 - 5_130 + 51_300,
    );
  });

  it('costs 555,422,720 MACs per 32x32 image', () => {
    // stem 32*32*64*27 = 1,769,472; layer1 4 * 32*32*64*64*9 = 150,994,944; layers 2-4 each
    // 18,874,368 (first conv) + 3 * 37,748,736 + 2,097,152 (projection) = 134,217,728; fc 5,120
    const summary = summarize(resnet18({ init: 'zeros' }), [32, 32, 3]);
    expect(summary.totals.macs).toBe(555_422_720);
    expect(summary.outputShape).toEqual([10]);
    expect(summary.layers.find((l) => l.name === 'layer4.1.add')!.outputShape).toEqual([4, 4, 512]);
  });

  it('maps [2, 32, 32, 3] to [2, 10]; without the head it ends at the pooled 512 features', () => {
    const model = resnet18({ seed: 1 });
    const x = tf.randomNormal([2, 32, 32, 3]);
    const y = tf.tidy(() => model.forward(x));
    expect(y.shape).toEqual([2, 10]);
    tf.dispose([x, y]);
    model.dispose();
    expect(outputShapeOf(resnet18({ head: false, init: 'zeros' }), [32, 32, 3])).toEqual([512]);
  });

  it('trains every layer on a fixed batch of 2x2 images (small, so the cpu backward pass is quick)', () => {
    const model = resnet18({ inputShape: [2, 2, 3], seed: 3 });
    const batch = fixedBatch([2, 2, 3], 4, 10, 3);
    const before = model.namedBuffers()[0]![1].dataSync()[0];
    // batch statistics of 4 examples at 1x1 make single steps noisy; two fall clearly
    const { losses } = trainSteps(model, batch, 2, 3e-3);
    expect(losses[2]).toBeLessThan(0.9 * losses[0]!);
    // training mode moved the batch-norm running statistics
    expect(model.namedBuffers()[0]![1].dataSync()[0]).not.toBe(before);
    tf.dispose([batch.x, batch.labels]);
    model.dispose();
  });
});
