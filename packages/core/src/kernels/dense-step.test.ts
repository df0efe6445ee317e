import * as tf from '@tensorflow/tfjs-core';
import '../tf/gradients.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { denseStep } from '../ops/dense-step.js';
import { Rng, RTOL, relativeError, setUpBackends } from './compare-with-cpu.js';
import { DenseStepKernel } from './dense-step.js';

// TunelabDenseStep (wasm) against the same chain in tfjs ops differentiated by tfjs on the cpu
// backend: loss, logits and every gradient, for widths that exercise every block shape of
// simd/gemm.as (4 x 8 blocks, 4-wide columns, 1 to 3 tail columns, 1 to 3 leftover rows, the
// 9-to-12-column blocks of classifier heads).
beforeAll(setUpBackends);

interface Case {
  n: number;
  widths: number[];
  relu: boolean[];
}

function fixture({ n, widths }: Case, seed: number) {
  const rng = Rng.fromSeed(seed);
  const layers = widths.slice(1).map((out, i) => ({
    w: rng.normalArray(widths[i]! * out, 0, 1 / Math.sqrt(widths[i]!)),
    b: rng.normalArray(out, 0, 0.3),
    shape: [widths[i]!, out],
  }));
  return {
    x: rng.uniformArray(n * widths[0]!, 0, 1),
    labels: Int32Array.from({ length: n }, () => rng.int(widths.at(-1)!)),
    layers,
  };
}

/** The composite on the active backend: loss, logits, [dW, db] per layer. */
async function composite(c: Case, seed: number) {
  const f = fixture(c, seed);
  const vars = f.layers.flatMap((l) => [
    tf.variable(tf.tensor2d(l.w, l.shape as [number, number])),
    tf.variable(tf.tensor1d(l.b)),
  ]);
  const x = tf.tensor2d(f.x, [c.n, c.widths[0]!]);
  const y = tf.oneHot(tf.tensor1d(f.labels, 'int32'), c.widths.at(-1)!);
  let logits: tf.Tensor | undefined;
  const { value, grads } = tf.variableGrads(() => {
    let h: tf.Tensor = x;
    c.relu.forEach((r, i) => {
      h = tf.add(tf.matMul(h as tf.Tensor2D, vars[2 * i]! as tf.Tensor2D), vars[2 * i + 1]!);
      if (r) h = tf.relu(h);
    });
    logits = tf.keep(h);
    return tf.losses.softmaxCrossEntropy(y, h) as tf.Scalar;
  }, vars);
  const out = {
    loss: (await value.data())[0]!,
    logits: (await logits!.data()) as Float32Array,
    grads: await Promise.all(vars.map(async (v) => (await grads[v.name]!.data()) as Float32Array)),
  };
  tf.dispose([value, logits!, ...Object.values(grads), ...vars, x, y]);
  return out;
}

/** The kernel on wasm, through the op. */
async function kernel(c: Case, seed: number) {
  const f = fixture(c, seed);
  const tensors = f.layers.map((l) => ({
    weight: tf.tensor2d(l.w, l.shape as [number, number]),
    bias: tf.tensor1d(l.b),
  }));
  const x = tf.tensor2d(f.x, [c.n, c.widths[0]!]);
  const labels = tf.tensor1d(f.labels, 'int32');
  const before = tf.memory().numTensors;
  const result = denseStep(
    x,
    labels,
    tensors.map((t, i) => ({ ...t, relu: c.relu[i]! })),
  );
  if (!result) throw new Error('denseStep declined the case');
  const out = {
    loss: (await result.value.data())[0]!,
    logits: (await result.outputs.data()) as Float32Array,
    grads: (await Promise.all(result.grads.flat().map((g) => g.data()))) as Float32Array[],
    made: tf.memory().numTensors - before,
  };
  tf.dispose([result.value, result.outputs, ...result.grads.flat(), x, labels]);
  for (const t of tensors) tf.dispose([t.weight, t.bias]);
  return out;
}

describe('TunelabDenseStep (wasm) against tfjs ops on cpu', () => {
  it.each<Case>([
    { n: 100, widths: [784, 32, 32, 10], relu: [true, true, false] },
    { n: 100, widths: [784, 10], relu: [false] },
    { n: 7, widths: [33, 13, 11], relu: [true, false] },
    { n: 5, widths: [9, 3, 2], relu: [true, true] },
    { n: 6, widths: [15, 12, 12], relu: [true, false] },
    { n: 1, widths: [4, 6, 5, 4], relu: [false, true, false] },
    { n: 13, widths: [20, 17, 9, 7, 3], relu: [true, true, true, false] },
  ])('n $n, widths $widths, relu $relu', async (c) => {
    await tf.setBackend('cpu');
    const expected = await composite(c, 11);
    await tf.setBackend('wasm');
    const actual = await kernel(c, 11);
    expect(Math.abs(actual.loss - expected.loss) / expected.loss).toBeLessThan(RTOL);
    expect(relativeError(actual.logits, expected.logits)).toBeLessThan(RTOL);
    expect(actual.grads).toHaveLength(expected.grads.length);
    for (const [i, g] of actual.grads.entries())
      expect(relativeError(g, expected.grads[i]!), `gradient ${i}`).toBeLessThan(RTOL);
    // loss, logits and two gradients per layer, nothing else left behind
    expect(actual.made).toBe(2 + 2 * c.relu.length);
  });

  it('runs as one kernel, and gives NaN for a label outside the classes', async () => {
    await tf.setBackend('wasm');
    const x = tf.ones([2, 3]);
    const labels = tf.tensor1d([0, 4], 'int32');
    const w = tf.ones([3, 4]);
    const b = tf.zeros([4]);
    const info = await tf.profile(() => {
      const r = denseStep(x, labels, [{ weight: w, bias: b, relu: false }])!;
      return [r.value, r.outputs, ...r.grads.flat()];
    });
    expect(info.kernelNames).toEqual([DenseStepKernel]);
    const r = denseStep(x, labels, [{ weight: w, bias: b, relu: false }])!;
    expect(r.value.dataSync()[0]).toBeNaN();
    tf.dispose([r.value, r.outputs, ...r.grads.flat(), x, labels, w, b]);
  });

  it('declines what it does not compute: wrong widths, float labels, other backends', async () => {
    await tf.setBackend('wasm');
    const x = tf.ones([2, 3]);
    const ids = tf.tensor1d([0, 1], 'int32');
    const layer = { weight: tf.ones([3, 4]), bias: tf.zeros([4]), relu: false };
    expect(denseStep(x, ids, [{ ...layer, weight: tf.ones([2, 4]) }])).toBeUndefined();
    expect(denseStep(x, tf.tensor1d([0, 1]), [layer])).toBeUndefined();
    expect(denseStep(x, tf.tensor1d([0, 1, 1], 'int32'), [layer])).toBeUndefined();
    expect(denseStep(x, ids, [{ ...layer, bias: tf.zeros([3]) }])).toBeUndefined();
    await tf.setBackend('cpu');
    const cx = tf.ones([2, 3]);
    const cl = { weight: tf.ones([3, 4]), bias: tf.zeros([4]), relu: false };
    expect(denseStep(cx, tf.tensor1d([0, 1], 'int32'), [cl])).toBeUndefined();
    await tf.setBackend('wasm');
  });
});
