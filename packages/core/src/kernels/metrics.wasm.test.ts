import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../random/rng.js';
import { accuracy, confusionMatrix } from '../train/metrics.js';
import { CountCorrectKernel } from './count-correct.js';
import { registerWasmTrainingKernels } from './index.js';

// The metrics again on wasm, the CPU default: its OneHot kernel mishandles a float32 dtype.
beforeAll(async () => {
  await tf.setBackend('wasm');
  registerWasmTrainingKernels();
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

  it('counts hits in one kernel: the first maximum wins ties, as tf.argMax picks it', async () => {
    const acc = accuracy();
    const outputs = tf.tensor2d([
      [1, 3, 3],
      [2, 2, 0],
      [0, 0, 0],
    ]);
    const labels = tf.tensor1d([1, 1, 0], 'int32');
    const info = await tf.profile(() => acc.update(outputs, labels));
    expect(info.kernelNames).toContain(CountCorrectKernel);
    expect(info.kernelNames).not.toContain('ArgMax');
    expect(await acc.read()).toBeCloseTo(2 / 3, 6);
    // Inside a caller's tidy (as evaluate calls it) the running count survives the scope.
    tf.tidy(() => acc.update(outputs, labels));
    tf.tidy(() => acc.update(outputs, labels));
    expect(await acc.read()).toBeCloseTo(2 / 3, 6);
    acc.reset();
    expect(await acc.read()).toBeNaN();
  });

  it('agrees with tfjs ops over several batches of random outputs', async () => {
    const rng = Rng.fromSeed(4);
    const acc = accuracy();
    let correct = 0;
    let total = 0;
    for (const n of [50, 17, 1]) {
      const outputs = tf.tensor2d(rng.normalArray(n * 10), [n, 10]);
      const labels = tf.tensor1d(
        Array.from({ length: n }, () => rng.int(10)),
        'int32',
      );
      acc.update(outputs, labels);
      correct += tf.sum(tf.cast(tf.equal(tf.argMax(outputs, -1), labels), 'int32')).dataSync()[0]!;
      total += n;
    }
    expect(correct).toBeGreaterThan(0);
    expect(await acc.read()).toBeCloseTo(correct / total, 6);
    acc.dispose();
  });
});
