import * as tf from '@tensorflow/tfjs-core';
import '../tf/gradients.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng, RTOL, relativeError, setUpBackends } from './compare-with-cpu.js';
import { type TestModel, testModels } from './training-models.js';

beforeAll(setUpBackends);

const BATCH = 3;

/** Seeded parameter values and a batch for `model`, the same on every backend. */
function fixture(model: TestModel, seed: number) {
  const rng = Rng.fromSeed(seed);
  const params = Object.entries(model.params).map(([name, shape]) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const fanIn = size / shape[shape.length - 1]!;
    return { name, shape, values: rng.normalArray(size, 0, 1 / Math.sqrt(fanIn)) };
  });
  const xShape = [BATCH, ...model.input];
  const x = rng.uniformArray(
    xShape.reduce((a, b) => a * b, 1),
    0,
    1,
  );
  const labels = Array.from({ length: BATCH }, () => rng.int(10));
  return { params, x, xShape, labels };
}

/** Loss and gradients of softmax cross-entropy on `backend`. */
async function gradients(backend: 'cpu' | 'wasm', model: TestModel, seed: number) {
  await tf.setBackend(backend);
  const f = fixture(model, seed);
  const vars = f.params.map((p) => tf.variable(tf.tensor(p.values, p.shape)));
  const byName = Object.fromEntries(f.params.map((p, i) => [p.name, vars[i]!]));
  const x = tf.tensor(f.x, f.xShape);
  const y = tf.oneHot(tf.tensor1d(f.labels, 'int32'), 10);
  const { value, grads } = tf.variableGrads(
    () => tf.losses.softmaxCrossEntropy(y, model.forward(x, byName)) as tf.Scalar,
    vars,
  );
  const result = {
    loss: (await value.data())[0]!,
    grads: await Promise.all(vars.map(async (v) => (await grads[v.name]!.data()) as Float32Array)),
  };
  tf.dispose([value, ...Object.values(grads), ...vars, x, y]);
  return result;
}

describe('training on wasm with the registered kernels', () => {
  it.each(Object.keys(testModels))('%s: loss and every gradient match cpu', async (name) => {
    const model = testModels[name]!;
    const cpu = await gradients('cpu', model, 7);
    const wasm = await gradients('wasm', model, 7);
    expect(Math.abs(wasm.loss - cpu.loss) / Math.abs(cpu.loss)).toBeLessThan(RTOL);
    for (const [i, g] of wasm.grads.entries()) {
      expect(relativeError(g, cpu.grads[i]!), Object.keys(model.params)[i]).toBeLessThan(RTOL);
    }
  });

  it('trains every model a few SGD steps on wasm without leaking tensors', async () => {
    await tf.setBackend('wasm');
    for (const model of Object.values(testModels)) {
      const f = fixture(model, 11);
      const vars = f.params.map((p) => tf.variable(tf.tensor(p.values, p.shape)));
      const byName = Object.fromEntries(f.params.map((p, i) => [p.name, vars[i]!]));
      const losses: number[] = [];
      const before = tf.memory().numTensors;
      for (let step = 0; step < 4; step++) {
        const loss = tf.tidy(() => {
          const x = tf.tensor(f.x, f.xShape);
          const y = tf.oneHot(tf.tensor1d(f.labels, 'int32'), 10);
          const { value, grads } = tf.variableGrads(
            () => tf.losses.softmaxCrossEntropy(y, model.forward(x, byName)) as tf.Scalar,
            vars,
          );
          for (const v of vars) v.assign(tf.sub(v, tf.mul(0.02, grads[v.name]!)));
          return value;
        });
        losses.push((await loss.data())[0]!);
        loss.dispose();
      }
      expect(tf.memory().numTensors).toBe(before);
      expect(losses.every(Number.isFinite)).toBe(true);
      // The same batch every step: plain SGD must bring its loss down.
      expect(losses[3]!).toBeLessThan(losses[0]!);
      tf.dispose(vars);
    }
  });
});

describe('tf.grads of a small CNN on wasm', () => {
  it('matches cpu for the input and every weight (conv, relu, max pool, conv, flatten, dense)', async () => {
    const rng = Rng.fromSeed(21);
    const shapes = { x: [2, 9, 9, 3], w1: [3, 3, 3, 5], w2: [2, 2, 5, 4], d: [64, 7] };
    const values = Object.values(shapes).map((s) => rng.normalArray(s.reduce((a, b) => a * b, 1)));
    const net = (x: tf.Tensor, w1: tf.Tensor, w2: tf.Tensor, d: tf.Tensor) => {
      const h = tf.maxPool(
        tf.relu(tf.conv2d(x as tf.Tensor4D, w1 as tf.Tensor4D, 2, 'same')),
        2,
        1,
        'same',
      );
      const g = tf.conv2d(h, w2 as tf.Tensor4D, 1, 'valid');
      return tf.sum(tf.square(tf.matMul(tf.reshape(g, [2, -1]), d as tf.Tensor2D)));
    };
    const run = async (backend: 'cpu' | 'wasm') => {
      await tf.setBackend(backend);
      const inputs = Object.values(shapes).map((s, i) => tf.tensor(values[i]!, s));
      const grads = tf.grads(net)(inputs);
      const data = await Promise.all(grads.map((g) => g.data()));
      tf.dispose([...inputs, ...grads]);
      return data;
    };
    const cpu = await run('cpu');
    const wasm = await run('wasm');
    for (const [i, g] of wasm.entries()) {
      expect(relativeError(g, cpu[i]!), Object.keys(shapes)[i]).toBeLessThan(RTOL);
    }
  });
});
