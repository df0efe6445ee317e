import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { accuracy, confusionMatrix } from './metrics.js';

// The metrics again on wasm, the CPU default: its OneHot kernel mishandles a float32 dtype.
beforeAll(async () => {
  await tf.setBackend('wasm');
});

describe('metrics on the wasm backend', () => {
  it('counts the confusion matrix and accuracy', async () => {
    const cm = confusionMatrix(3);
    const acc = accuracy();
    const outputs = tf.tensor2d([
      [5, 1, 0],
      [0, 1, 3],
      [0, 0, 9],
      [0, 2, 1],
    ]);
    const labels = tf.tensor1d([0, 1, 2, 1], 'int32');
    cm.update(outputs, labels);
    acc.update(outputs, labels);
    expect(await cm.matrix()).toEqual([
      [1, 0, 0],
      [0, 1, 1],
      [0, 0, 1],
    ]);
    expect(await acc.read()).toBeCloseTo(0.75, 6);
    cm.dispose();
  });
});
