import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { setUpBackends } from '../kernels/compare-with-cpu.js';
import { accuracy, RunningMean } from './metrics.js';

// On wasm the running loss and the accuracy count are read as they come (scalarNow: a heap
// read) instead of being summed by kernels; the numbers must be those of the backend sums.
beforeAll(setUpBackends);

async function measure(backend: 'cpu' | 'wasm') {
  await tf.setBackend(backend);
  const mean = new RunningMean();
  const acc = accuracy();
  const before = tf.memory().numTensors;
  const batches = [
    {
      loss: 1,
      count: 10,
      outputs: [
        [2, 1],
        [0, 3],
        [5, 1],
      ],
      labels: [0, 1, 1],
    },
    { loss: 4, count: 30, outputs: [[0, 1]], labels: [1] },
  ];
  const info = await tf.profile(() => {
    for (const b of batches) {
      const value = tf.scalar(b.loss);
      const outputs = tf.tensor2d(b.outputs);
      const labels = tf.tensor1d(b.labels, 'int32');
      mean.add(value, b.count);
      acc.update(outputs, labels);
      tf.dispose([value, outputs, labels]);
    }
  });
  const result = {
    loss: await mean.read(),
    accuracy: await acc.read(),
    kernels: info.kernelNames,
    left: tf.memory().numTensors - before,
  };
  mean.reset();
  acc.reset();
  return { ...result, afterReset: [await mean.read(), await acc.read()] };
}

describe('running loss and accuracy on wasm', () => {
  it('read (10 * 1 + 30 * 4) / 40 = 3.25 and 3 hits of 4, as on cpu, without adding kernels', async () => {
    const cpu = await measure('cpu');
    const wasm = await measure('wasm');
    for (const r of [cpu, wasm]) {
      expect(r.loss).toBeCloseTo(3.25, 6);
      expect(r.accuracy).toBeCloseTo(3 / 4, 6);
      expect(r.afterReset.every(Number.isNaN)).toBe(true);
    }
    expect(wasm.kernels).not.toContain(tf.Add);
    expect(wasm.kernels).not.toContain(tf.Multiply);
    expect(cpu.kernels).toContain(tf.Add);
    expect(wasm.left).toBe(0);
  });

  it('keeps a NaN loss NaN', async () => {
    await tf.setBackend('wasm');
    const mean = new RunningMean();
    const nan = tf.scalar(Number.NaN);
    mean.add(nan, 5);
    expect(await mean.read()).toBeNaN();
    nan.dispose();
  });
});
