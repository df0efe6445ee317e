import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeBackendCandidates } from '../backend/candidates.js';
import { selectBackend } from '../backend/select.js';
import { ArrayDataset } from '../data/dataset.js';
import type { Module } from '../module/module.js';
import { Rng } from '../random/rng.js';
import { fit } from '../train/fit.js';
import { softmaxCrossEntropy } from '../train/loss.js';
import type { GradientPair, Optimizer } from '../train/optimizer.js';
import type { GradientReplicas } from '../train/replicas.js';
import { startReplicas } from './replicas.js';

// Data parallelism over worker threads: each replica builds the fixture model from core's
// build (test/conv-model.mjs) on its own wasm backend. The average of the share gradients
// weighted by share size is the gradient of the batch mean, so training with replicas must
// end at the weights of training without them (to float rounding).
const fixture = new URL('../../test/conv-model.mjs', import.meta.url).href;
const worker = new URL('../../test/replica-worker.mjs', import.meta.url);
const loss = {
  module: new URL('../../dist/index.js', import.meta.url).href,
  export: 'softmaxCrossEntropy',
};
const smallCnn = (await import(fixture)).smallCnn as (seed?: number) => Module;

beforeAll(async () => {
  tf.enableProdMode();
  await selectBackend({
    candidates: nodeBackendCandidates((s) => import(s)),
    requested: 'wasm',
  });
});

function sgd(lr: number): Optimizer {
  return {
    name: 'sgd',
    learningRate: lr,
    applyGradients(pairs: GradientPair[], rate = lr) {
      for (const [p, g] of pairs)
        tf.tidy(() => p.variable.assign(tf.sub(p.variable, tf.mul(g, rate))));
    },
    getState: () => ({ iterations: 0, slots: {} }),
    setState() {},
    dispose() {},
  } as unknown as Optimizer;
}

/** 23 random 8x8 images, labels from a fixed rule so the loss can fall. */
function data(): ArrayDataset {
  const rng = Rng.fromSeed(5);
  const n = 23;
  const x = new Uint8Array(n * 64);
  for (let i = 0; i < x.length; i++) x[i] = rng.nextUint32() & 255;
  const y = Uint8Array.from({ length: n }, (_, i) => (x[i * 64]! + x[i * 64 + 9]!) % 3);
  return new ArrayDataset({ x, y, inputShape: [8, 8, 1], numClasses: 3, scale: 1 / 255 });
}

async function train(model: Module, replicas?: GradientReplicas) {
  return fit(model, {
    train: data(),
    loss: softmaxCrossEntropy,
    optimizer: sgd(0.5),
    // 23 examples at batch 6: shares 3 + 3 per batch, and a last batch of 5 (3 + 2).
    batchSize: 6,
    epochs: 3,
    rng: Rng.fromSeed(1),
    logEvery: 1,
    replicas,
  });
}

const values = (m: Module) => m.parameters().map((p) => Array.from(p.variable.dataSync()));

describe('startReplicas + fit (data parallel on worker threads)', () => {
  let replicas: GradientReplicas;
  beforeAll(async () => {
    replicas = await startReplicas(smallCnn(0), {
      count: 1,
      worker,
      backend: 'wasm',
      model: { module: fixture, export: 'smallCnn', args: [0] },
      loss,
    });
  });
  afterAll(async () => {
    await replicas?.close();
  });

  it('ends at the weights, loss and accuracy of training on one thread', async () => {
    const alone = smallCnn(0);
    const parallel = smallCnn(0);
    const a = await train(alone);
    const b = await train(parallel, replicas);
    const [wa, wb] = [values(alone), values(parallel)];
    // The weights moved (a real test), and moved alike.
    expect(
      Math.max(...wa[0]!.map((v, i) => Math.abs(v - values(smallCnn(0))[0]![i]!))),
    ).toBeGreaterThan(1e-3);
    for (let p = 0; p < wa.length; p++)
      for (let i = 0; i < wa[p]!.length; i++) expect(wb[p]![i]!).toBeCloseTo(wa[p]![i]!, 5);
    const last = (h: typeof a) => h.epochs.at(-1)!.metrics;
    expect(last(b).trainLoss!).toBeCloseTo(last(a).trainLoss!, 5);
    expect(last(b).trainAccuracy).toBe(last(a).trainAccuracy);
    // The frozen scale stayed as it was.
    expect(wb[3]).toEqual([1.5, 1.5, 1.5]);
    alone.dispose();
    parallel.dispose();
  });

  it('keeps the tensor count of the main thread stable across epochs', async () => {
    const model = smallCnn(2);
    const counts: number[] = [];
    await fit(model, {
      train: data(),
      loss: softmaxCrossEntropy,
      optimizer: sgd(0.1),
      batchSize: 4,
      epochs: 3,
      rng: Rng.fromSeed(3),
      replicas,
      callbacks: [{ onEpochEnd: () => void counts.push(tf.memory().numTensors) }],
    });
    expect(counts[2]).toBe(counts[0]);
    model.dispose();
  });

  it('is deterministic: the same seed gives the same weights twice', async () => {
    const first = smallCnn(4);
    const second = smallCnn(4);
    await train(first, replicas);
    await train(second, replicas);
    expect(values(second)).toEqual(values(first));
    first.dispose();
    second.dispose();
  });
});

describe('startReplicas errors', () => {
  it('names the parameters when the replica builds a different model', async () => {
    await expect(
      startReplicas(smallCnn(0), {
        count: 1,
        worker,
        backend: 'wasm',
        model: { module: fixture, export: 'otherCnn', args: [] },
        loss,
      }),
    ).rejects.toThrow(
      /replica 1: the replica's model does not match: .*dense\[64,5\].* vs .*dense\[64,3\]/,
    );
  });

  it('names a missing export', async () => {
    await expect(
      startReplicas(smallCnn(0), {
        count: 1,
        worker,
        backend: 'wasm',
        model: { module: fixture, export: 'noSuchModel', args: [] },
        loss,
      }),
    ).rejects.toThrow(/has no export "noSuchModel"/);
  });
});
