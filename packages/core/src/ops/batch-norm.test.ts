import * as tf from '@tensorflow/tfjs-core';
import '../tf/gradients.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { BatchNormGradKernel, BatchNormTrainKernel } from '../kernels/batch-norm.js';
import { Rng, RTOL, relativeError, setUpBackends } from '../kernels/compare-with-cpu.js';
import { batchNormTraining } from './batch-norm.js';

// The batch-norm training kernels (wasm) against tfjs's composite on the cpu backend: outputs,
// batch statistics and the gradients of x, gamma and beta under a random upstream gradient.
beforeAll(setUpBackends);

const EPSILON = 1e-5;

function fixture(shape: number[], seed: number) {
  const rng = Rng.fromSeed(seed);
  const c = shape.at(-1)!;
  const size = shape.reduce((a, b) => a * b, 1);
  return {
    x: rng.normalArray(size, 0.7, 2),
    gamma: rng.normalArray(c, 1, 0.3),
    beta: rng.normalArray(c, 0, 0.3),
    upstream: rng.normalArray(size),
  };
}

async function run(shape: number[], relu: boolean, ours: boolean) {
  const f = fixture(shape, 5);
  const c = shape.at(-1)!;
  const x = tf.tensor(f.x, shape);
  const gamma = tf.tensor1d(f.gamma);
  const beta = tf.tensor1d(f.beta);
  const upstream = tf.tensor(f.upstream, shape);
  const axes = shape.slice(0, -1).map((_, i) => i);
  let stats: tf.Tensor[] = [];
  const forward = (xi: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
    if (ours) {
      const r = batchNormTraining(xi, g, b, EPSILON, relu)!;
      stats = [r.mean, r.variance];
      return r.y;
    }
    const { mean, variance } = tf.moments(xi, axes);
    stats = [tf.keep(mean), tf.keep(variance)];
    const y = tf.batchNorm(xi, mean, variance, b as tf.Tensor1D, g as tf.Tensor1D, EPSILON);
    return relu ? tf.relu(y) : y;
  };
  let y: tf.Tensor | undefined;
  const grads = tf.grads((xi: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
    y = tf.keep(forward(xi, g, b));
    return tf.sum(tf.mul(y, upstream));
  })([x, gamma, beta]);
  const read = async (t: tf.Tensor) => (await t.data()) as Float32Array;
  const out = {
    y: await read(y!),
    mean: await read(stats[0]!),
    variance: await read(stats[1]!),
    grads: await Promise.all(grads.map(read)),
  };
  expect(stats[0]!.shape).toEqual([c]);
  tf.dispose([x, gamma, beta, upstream, y!, ...stats, ...grads]);
  return out;
}

describe('batch norm training kernels (wasm) against tfjs ops on cpu', () => {
  it.each([
    [[2, 5, 5, 3], false],
    [[4, 6, 6, 20], true],
    [[3, 4, 4, 7], false],
    [[100, 33], true],
    [[8, 8, 8, 64], false],
  ])('x %j, relu %s: y, statistics and gradients match', async (shape, relu) => {
    await tf.setBackend('cpu');
    const expected = await run(shape, relu, false);
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const actual = await run(shape, relu, true);
    expect(tf.memory().numTensors).toBe(before);
    for (const key of ['y', 'mean', 'variance'] as const)
      expect(relativeError(actual[key], expected[key]), key).toBeLessThan(RTOL);
    for (const [i, name] of ['dx', 'dgamma', 'dbeta'].entries())
      expect(relativeError(actual.grads[i]!, expected.grads[i]!), name).toBeLessThan(RTOL);
  });

  it('is two kernels, one each way', async () => {
    await tf.setBackend('wasm');
    const x = tf.randomNormal([2, 3, 3, 4]);
    const gamma = tf.ones([4]);
    const beta = tf.zeros([4]);
    const info = await tf.profile(() => {
      const g = tf.grads((xi: tf.Tensor) => {
        const r = batchNormTraining(xi, gamma, beta, EPSILON)!;
        tf.dispose([r.mean, r.variance]);
        return tf.sum(r.y);
      })([x]);
      return g;
    });
    expect(info.kernelNames.filter((k) => k.startsWith('TunelabBatchNorm'))).toEqual([
      BatchNormTrainKernel,
      BatchNormGradKernel,
    ]);
    tf.dispose([x, gamma, beta]);
  });

  it('declines what it does not compute', async () => {
    await tf.setBackend('wasm');
    const x = tf.zeros([2, 4]);
    expect(batchNormTraining(x, tf.ones([3]), tf.zeros([3]), EPSILON)).toBeUndefined();
    expect(batchNormTraining(tf.zeros([4]), tf.ones([4]), tf.zeros([4]), EPSILON)).toBeUndefined();
    await tf.setBackend('cpu');
    expect(
      batchNormTraining(tf.zeros([2, 4]), tf.ones([4]), tf.zeros([4]), EPSILON),
    ).toBeUndefined();
  });
});
