import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { Parameter, Rng, registerWasmTrainingKernels } from '@tunelab/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { type SgdOptions, sgd } from './sgd.js';

// On wasm, SGD updates every parameter in one kernel (core's sgdUpdate, TunelabSgdUpdate).
// It runs the same float32 operations in the same order as the per-parameter rule, so the
// weights must equal, bit for bit, those of the rule on the cpu backend.
beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.setBackend('wasm');
  registerWasmTrainingKernels();
});

const SHAPES = [[3, 2], [7], [33, 5], []];

/** Weights (and the kernels of the last update) after `steps` updates with seeded gradients. */
async function train(backend: 'cpu' | 'wasm', options: SgdOptions, steps = 4) {
  await tf.setBackend(backend);
  const rng = Rng.fromSeed(5);
  const sizes = SHAPES.map((s) => s.reduce((a, b) => a * b, 1));
  const params = SHAPES.map((s, i) => new Parameter(tf.tensor(rng.normalArray(sizes[i]!), s)));
  params[1]!.trainable = false;
  const opt = sgd(options);
  let kernels: string[] = [];
  for (let step = 0; step < steps; step++) {
    const grads = SHAPES.map((s, i) => tf.tensor(rng.normalArray(sizes[i]!, 0, 3), s));
    const info = await tf.profile(() => {
      opt.applyGradients(
        params.map((p, i) => [p, grads[i]!] as const),
        0.05 * (step + 1),
      );
    });
    kernels = info.kernelNames;
    tf.dispose(grads);
  }
  const before = tf.memory().numTensors;
  const weights = params.map((p) => Array.from(p.variable.dataSync()));
  for (const p of params) p.dispose();
  opt.dispose();
  return { weights, kernels, tensors: before - tf.memory().numTensors };
}

describe('SGD in one kernel on wasm', () => {
  it.each<SgdOptions>([
    { lr: 0.1 },
    { lr: 0.1, momentum: 0.9 },
    { lr: 0.1, momentum: 0.8, nesterov: true },
    { lr: 0.1, weightDecay: 5e-4 },
    { lr: 0.1, momentum: 0.9, weightDecay: 5e-4 },
  ])('%j: the weights of the per-parameter rule on cpu, bit for bit', async (options) => {
    const cpu = await train('cpu', options);
    const wasm = await train('wasm', options);
    expect(wasm.kernels).toEqual(['TunelabSgdUpdate']);
    expect(wasm.weights).toEqual(cpu.weights);
    // The frozen parameter kept its initial value on both.
    expect(wasm.tensors).toBe(cpu.tensors);
  });

  it('takes the rule when clipping, on the same weights', async () => {
    const cpu = await train('cpu', { lr: 0.1, momentum: 0.9, clipNorm: 1 });
    const wasm = await train('wasm', { lr: 0.1, momentum: 0.9, clipNorm: 1 });
    expect(wasm.kernels).not.toContain('TunelabSgdUpdate');
    for (const [i, w] of wasm.weights.entries())
      for (const [j, v] of w.entries()) expect(v).toBeCloseTo(cpu.weights[i]![j]!, 5);
  });

  it('leaves an infinite weight infinite without decay (0 * inf is not added)', async () => {
    await tf.setBackend('wasm');
    const p = new Parameter(tf.tensor1d([Number.POSITIVE_INFINITY, 1]));
    const g = tf.tensor1d([1, 1]);
    sgd({ lr: 0.5 }).applyGradients([[p, g]]);
    expect(Array.from(p.variable.dataSync())).toEqual([Number.POSITIVE_INFINITY, 0.5]);
    tf.dispose([g]);
    p.dispose();
  });
});
