import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { vgg16 } from '../models/vgg.js';
import { cnn4 } from '../models/workloads.js';
import { summarize } from '../summary/summarize.js';
import { fixedBatch, trainSteps } from '../testing/train-steps.js';
import { freezeFirst, parameterLayers } from './freeze.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('freezeFirst', () => {
  it('freezes the first 10 layers of VGG-16: blocks 1-3 and the first conv of block 4', () => {
    const model = vgg16({ init: 'zeros' });
    expect(parameterLayers(model)).toHaveLength(16);
    expect(freezeFirst(model, 10)).toEqual([
      'block1_conv1',
      'block1_conv2',
      'block2_conv1',
      'block2_conv2',
      'block3_conv1',
      'block3_conv2',
      'block3_conv3',
      'block4_conv1',
      'block4_conv2',
      'block4_conv3',
    ]);
    // 3*3*(3*64 + 64*64 + 64*128 + 128*128 + 128*256 + 2*256*256 + 256*512 + 2*512*512)
    //   + biases (2*64 + 2*128 + 3*256 + 3*512) = 9*848,064 + 2,688 = 7,632,576 + 2,688
    const frozen = 7_635_264;
    expect(model.parameterCount('frozen')).toBe(frozen);
    const summary = summarize(model, [224, 224, 3]);
    expect(summary.totals.frozenParams).toBe(frozen);
    expect(summary.totals.trainableParams).toBe(138_357_544 - frozen);
    expect(summary.layers.find((l) => l.name === 'block4_conv3')!.frozenParams).toBe(2_359_808);
    expect(summary.layers.find((l) => l.name === 'block5_conv1')!.frozenParams).toBe(0);
    model.dispose();
  });

  it('keeps frozen weights fixed while a gradient step moves the rest', () => {
    const model = cnn4({ seed: 1 });
    freezeFirst(model, 2); // conv1, conv2
    const snapshot = () =>
      model.namedParameters().map(([n, p]) => [n, Array.from(p.variable.dataSync())] as const);
    const before = snapshot();
    const batch = fixedBatch([28, 28, 1], 2, 10);
    trainSteps(model, batch, 1, 0.05);
    const after = new Map(snapshot());
    for (const [name, values] of before) {
      if (name.startsWith('conv')) expect(after.get(name)).toEqual(values);
      else expect(after.get(name)).not.toEqual(values);
    }
    tf.dispose([batch.x, batch.labels]);
    model.dispose();
  });

  it('rejects a count beyond the layers with parameters', () => {
    const model = cnn4({ init: 'zeros' });
    expect(() => freezeFirst(model, 5)).toThrow(
      "freezeFirst: count must be an integer from 0 to 4 (the Sequential's layers with parameters), got 5",
    );
    model.dispose();
  });
});
