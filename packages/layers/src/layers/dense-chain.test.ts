import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import {
  ArrayDataset,
  fit,
  type Optimizer,
  Rng,
  registerWasmTrainingKernels,
  softmaxCrossEntropy,
} from '@tunelab/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { mlp } from '../models/mlp.js';
import { cnn4, linearWorkload, mlp2Workload } from '../models/workloads.js';
import { Sigmoid } from './activations.js';
import { Dropout } from './dropout.js';
import { Flatten } from './flatten.js';
import { Linear } from './linear.js';
import { Sequential } from './sequential.js';

// Which models are dense chains (their training step can be one kernel on wasm), and that fit
// then trains them as one: the same result as the layers' own ops.
beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Plain SGD (the layers package does not depend on @tunelab/optimizers). */
function sgd(lr: number): Optimizer {
  return {
    name: 'sgd',
    learningRate: lr,
    iterations: 0,
    applyGradients(gradients) {
      tf.tidy(() => {
        for (const [p, g] of gradients) p.variable.assign(tf.sub(p.variable, tf.mul(g, lr)));
      });
    },
    config: () => ({ lr }),
    getState: () => ({ iterations: 0, slots: new Map() }),
    setState: () => {},
    dispose: () => {},
  };
}

const kinds = (m: { denseChain(): readonly { kind: string }[] | null }) =>
  m.denseChain()?.map((l) => l.kind) ?? null;

describe('dense chains of the layers', () => {
  it('linear, mlp2 and mlp() are chains; each Linear is a link with its own parameters', () => {
    expect(kinds(linearWorkload())).toEqual(['flatten', 'dense']);
    const model = mlp2Workload();
    expect(kinds(model)).toEqual(['flatten', 'dense', 'dense', 'dense']);
    const links = model.denseChain()!.filter((l) => l.kind === 'dense');
    expect(links.map((l) => l.activation)).toEqual(['relu', 'relu', 'linear']);
    expect(links.flatMap((l) => [l.weight, l.bias])).toEqual(model.parameters());
    const rng = Rng.fromSeed(0);
    expect(kinds(mlp({ inputShape: [4], hidden: [3, 3], classes: 2, seed: rng }))).toEqual([
      'flatten',
      'dense',
      'relu',
      'dense',
      'relu',
      'dense',
    ]);
  });

  it('anything else is not: convolutions, dropout, other activations, no bias', () => {
    const rng = Rng.fromSeed(0);
    expect(cnn4().denseChain()).toBeNull();
    const dense = () => new Linear({ inputs: 4, outputs: 3, rng });
    expect(
      new Sequential([new Flatten(), dense(), new Dropout({ rate: 0.5, rng })]).denseChain(),
    ).toBeNull();
    expect(new Sequential([dense(), new Sigmoid()]).denseChain()).toBeNull();
    expect(new Linear({ inputs: 4, outputs: 3, rng, bias: false }).denseChain()).toBeNull();
    expect(new Linear({ inputs: 4, outputs: 3, rng, activation: 'elu' }).denseChain()).toBeNull();
  });

  it('fit trains mlp() on wasm in one kernel per step, to the weights of its ops', async () => {
    await tf.setBackend('wasm');
    registerWasmTrainingKernels();
    const rng = Rng.fromSeed(3);
    const x = Uint8Array.from({ length: 60 * 16 }, () => rng.int(256));
    const y = Uint8Array.from({ length: 60 }, () => rng.int(4));
    const data = new ArrayDataset({ x, y, inputShape: [4, 4, 1], numClasses: 4, scale: 1 / 255 });
    const build = () => mlp({ inputShape: [4, 4, 1], hidden: [8], classes: 4, seed: 7 });
    const options = () => ({
      train: data,
      loss: softmaxCrossEntropy,
      optimizer: sgd(0.3),
      epochs: 2,
      batchSize: 16,
      rng: Rng.fromSeed(1),
    });
    const fused = build();
    const info = await tf.profile(async () => {
      await fit(fused, options());
    });
    expect(info.kernelNames).toContain('TunelabDenseStep');
    expect(info.kernelNames).not.toContain(tf._FusedMatMul);
    // The same model with a loss the kernel does not compute (an equal one): the layers' ops.
    const plain = build();
    await fit(plain, { ...options(), loss: (z, l) => softmaxCrossEntropy(z, l, 'mean') });
    const a = fused.parameters().flatMap((p) => Array.from(p.variable.dataSync()));
    const b = plain.parameters().flatMap((p) => Array.from(p.variable.dataSync()));
    const worst = a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
    expect(worst).toBeLessThan(1e-5);
    expect(a.some((v, i) => v !== b[i])).toBe(true);
    await tf.setBackend('cpu');
  });
});
