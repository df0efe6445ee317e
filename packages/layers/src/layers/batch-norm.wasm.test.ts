import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { Rng, registerWasmTrainingKernels } from '@tunelab/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxAbsDiff } from '../testing/plain-loops.js';
import { ReLU } from './activations.js';
import { BatchNorm } from './batch-norm.js';
import { Sequential } from './sequential.js';

// On wasm, BatchNorm trains through core's batch-norm kernels (one each way, relu fused when a
// ReLU follows in a Sequential or a block asks for it). The hand-computed batch of
// batch-norm.test.ts, and the cpu backend's outputs, statistics and gradients.
beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.setBackend('wasm');
  registerWasmTrainingKernels();
});

const eps = 1e-5;

/** Output, running statistics and gradients of gamma, beta and x for a seeded batch. */
async function step(backend: 'cpu' | 'wasm', relu: boolean) {
  await tf.setBackend(backend);
  const rng = Rng.fromSeed(3);
  const bn = new BatchNorm({ channels: 6, momentum: 0.2 });
  bn.weight.assign(tf.tensor1d(rng.normalArray(6, 1, 0.2)));
  bn.bias.assign(tf.tensor1d(rng.normalArray(6, 0, 0.2)));
  const model = relu ? new Sequential([bn, new ReLU()]) : bn;
  const x = tf.tensor4d(rng.normalArray(2 * 3 * 4 * 6, 1, 2), [2, 3, 4, 6]);
  const w = tf.tensor4d(rng.normalArray(2 * 3 * 4 * 6), [2, 3, 4, 6]);
  const before = tf.memory().numTensors;
  let y: tf.Tensor | undefined;
  const info = await tf.profile(() => {
    const { grads } = tf.variableGrads(() => {
      y = tf.keep(model.forward(x));
      return tf.sum(tf.mul(y, w));
    });
    return Object.values(grads);
  });
  const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(model.forward(x), w)));
  const dx = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(model.forward(input), w)))(x);
  const out = {
    y: Array.from(y!.dataSync()),
    gradients: [bn.weight, bn.bias].map((p) => Array.from(grads[p.variable.name]!.dataSync())),
    dx: Array.from(dx.dataSync()),
    running: [bn.runningMean, bn.runningVar].map((v) => Array.from(v.dataSync())),
    kernels: info.kernelNames,
  };
  tf.dispose([value, ...Object.values(grads), dx, y!, ...(info.result as tf.Tensor[])]);
  out.running.push([tf.memory().numTensors - before]);
  tf.dispose([x, w]);
  model.dispose();
  return out;
}

describe('BatchNorm on wasm', () => {
  it('normalises the hand-computed batch with its statistics and updates the running ones', async () => {
    await tf.setBackend('wasm');
    const bn = new BatchNorm({ channels: 2, momentum: 0.1 });
    bn.weight.assign(tf.tensor1d([2, 0.5]));
    bn.bias.assign(tf.tensor1d([1, -1]));
    const batch = [
      [1, 2],
      [3, 6],
      [5, 10],
    ];
    const y = tf.tidy(() => bn.forward(tf.tensor2d(batch)));
    const expected = batch.flatMap(([a, b]) => [
      ((a! - 3) / Math.sqrt(8 / 3 + eps)) * 2 + 1,
      ((b! - 6) / Math.sqrt(32 / 3 + eps)) * 0.5 - 1,
    ]);
    expect(maxAbsDiff(y.dataSync(), expected)).toBeLessThan(1e-5);
    expect(maxAbsDiff(bn.runningMean.dataSync(), [0.3, 0.6])).toBeLessThan(1e-6);
    expect(maxAbsDiff(bn.runningVar.dataSync(), [0.9 + 0.4, 0.9 + 1.6])).toBeLessThan(1e-5);
    y.dispose();
    bn.dispose();
  });

  it.each([false, true])(
    'matches cpu with relu fused: %s, as one kernel each way',
    async (relu) => {
      const cpu = await step('cpu', relu);
      const wasm = await step('wasm', relu);
      expect(wasm.kernels).toContain('TunelabBatchNormTrain');
      expect(wasm.kernels).toContain('TunelabBatchNormGrad');
      expect(wasm.kernels).not.toContain('Relu');
      expect(maxAbsDiff(wasm.y, cpu.y)).toBeLessThan(1e-5);
      expect(maxAbsDiff(wasm.dx, cpu.dx)).toBeLessThan(1e-4);
      for (const [i, g] of wasm.gradients.entries())
        expect(maxAbsDiff(g, cpu.gradients[i]!)).toBeLessThan(1e-4);
      for (const [i, r] of wasm.running.entries())
        expect(maxAbsDiff(r, cpu.running[i]!)).toBeLessThan(1e-5);
    },
  );
});
