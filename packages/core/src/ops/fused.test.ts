import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { nodeBackendCandidates } from '../backend/candidates.js';
import { selectBackend } from '../backend/select.js';
import { ReluGradKernel, reluGrad } from '../kernels/relu-grad.js';
import { Rng } from '../random/rng.js';
import '../tf/gradients.js';
import { fusedConv2d, fusedMatMul, gradientsOfVariables } from './fused.js';

// The fused ops against the same computation written as separate tfjs ops (conv2d / matMul,
// add, relu), differentiated by tfjs: values and every gradient, on cpu and on wasm (with
// tunelab's training kernels), for random shapes, strides and paddings.

const rng = Rng.fromSeed(11);
const random = (shape: number[]) =>
  tf.tensor(rng.normalArray(shape.reduce((a, b) => a * b, 1)), shape);

function expectClose(actual: tf.Tensor, expected: tf.Tensor, label: string) {
  expect(actual.shape, label).toEqual(expected.shape);
  const a = actual.dataSync();
  const e = expected.dataSync();
  const scale = Math.max(1e-3, ...Array.from(e, Math.abs));
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - e[i]!));
  expect(worst / scale, `${label}: max difference ${worst} at scale ${scale}`).toBeLessThan(1e-5);
}

const convCases = [
  { x: [2, 7, 7, 3], k: [3, 3, 3, 4], strides: 1, pad: 'same' },
  { x: [3, 9, 8, 2], k: [3, 3, 2, 5], strides: 2, pad: 'same' },
  { x: [2, 8, 8, 4], k: [2, 2, 4, 3], strides: 2, pad: 'valid' },
  { x: [1, 6, 5, 1], k: [3, 2, 1, 6], strides: [1, 2], pad: 'valid' },
  { x: [2, 6, 6, 3], k: [3, 3, 3, 2], strides: 1, pad: 'same', activation: 'linear' },
] as const;

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`fused ops on ${backend}`, () => {
    it('selects the backend', async () => {
      await selectBackend({
        candidates: nodeBackendCandidates((s) => import(s)),
        requested: backend,
      });
      expect(tf.getBackend()).toBe(backend);
      // The one-kernel relu gradient exists on wasm only; cpu takes tfjs's Multiply(dy, Step(y)).
      expect(tf.getKernel(ReluGradKernel, backend) !== undefined).toBe(backend === 'wasm');
    });

    for (const c of convCases) {
      it(`fusedConv2d ${'activation' in c ? c.activation : 'relu'}: x [${c.x}], filter [${c.k}], stride ${c.strides}, ${c.pad}`, () => {
        const x = random([...c.x]) as tf.Tensor4D;
        const filter = random([...c.k]) as tf.Tensor4D;
        const bias = random([c.k[3]]);
        const strides = c.strides as number | [number, number];
        const pad = c.pad;
        const activation = 'activation' in c ? c.activation : 'relu';
        const act = activation === 'relu' ? tf.relu : (t: tf.Tensor) => t;
        const probe = random(tf.conv2d(x, filter, strides, pad).shape); // a random upstream gradient
        const ours = tf.grads((xx, ff, bb) =>
          tf.sum(
            tf.mul(
              fusedConv2d({
                x: xx as tf.Tensor4D,
                filter: ff as tf.Tensor4D,
                bias: bb,
                strides,
                pad,
                activation,
              }),
              probe,
            ),
          ),
        );
        const reference = tf.grads((xx, ff, bb) =>
          tf.sum(
            tf.mul(
              act(tf.add(tf.conv2d(xx as tf.Tensor4D, ff as tf.Tensor4D, strides, pad), bb)),
              probe,
            ),
          ),
        );
        const got = ours([x, filter, bias]);
        const want = reference([x, filter, bias]);
        for (const [i, name] of ['dx', 'dfilter', 'dbias'].entries())
          expectClose(got[i]!, want[i]!, name);
        // The forward value under a tape equals tf.fused.conv2d outside one.
        const v = tf.variable(bias);
        tf.variableGrads(() => {
          const y = fusedConv2d({ x, filter, bias: v, strides, pad, activation });
          expectClose(y, tf.fused.conv2d({ x, filter, bias, strides, pad, activation }), 'y');
          return tf.sum(y) as tf.Scalar;
        }, [v]);
        v.dispose();
      });
    }

    it('fusedMatMul linear: the gradients of a, b and bias', () => {
      const a = random([5, 7]) as tf.Tensor2D;
      const b = random([7, 3]) as tf.Tensor2D;
      const bias = random([3]);
      const probe = random([5, 3]);
      const got = tf.grads((aa, bb, cc) =>
        tf.sum(
          tf.mul(fusedMatMul({ a: aa as tf.Tensor2D, b: bb as tf.Tensor2D, bias: cc }), probe),
        ),
      )([a, b, bias]);
      const want = tf.grads((aa, bb, cc) =>
        tf.sum(tf.mul(tf.add(tf.matMul(aa as tf.Tensor2D, bb as tf.Tensor2D), cc), probe)),
      )([a, b, bias]);
      for (const [i, name] of ['da', 'db', 'dbias'].entries()) expectClose(got[i]!, want[i]!, name);
    });

    it('fusedMatMul relu: value and the gradients of a, b and bias', () => {
      const a = random([6, 5]) as tf.Tensor2D;
      const b = random([5, 4]) as tf.Tensor2D;
      const bias = random([4]);
      const probe = random([6, 4]);
      const got = tf.grads((aa, bb, cc) =>
        tf.sum(
          tf.mul(
            fusedMatMul({
              a: aa as tf.Tensor2D,
              b: bb as tf.Tensor2D,
              bias: cc,
              activation: 'relu',
            }),
            probe,
          ),
        ),
      )([a, b, bias]);
      const want = tf.grads((aa, bb, cc) =>
        tf.sum(tf.mul(tf.relu(tf.add(tf.matMul(aa as tf.Tensor2D, bb as tf.Tensor2D), cc)), probe)),
      )([a, b, bias]);
      for (const [i, name] of ['da', 'db', 'dbias'].entries()) expectClose(got[i]!, want[i]!, name);
    });

    it('skips the gradient of an input that no variable feeds, inside gradientsOfVariables', async () => {
      const x = random([2, 6, 6, 2]) as tf.Tensor4D;
      const filter = tf.variable(random([3, 3, 2, 3]));
      const bias = tf.variable(random([3]));
      const probe = random([2, 6, 6, 3]);
      const loss = (conv: typeof fusedConv2d) => () =>
        tf.sum(
          tf.mul(
            conv({
              x,
              filter: filter as tf.Tensor4D,
              bias,
              strides: 1,
              pad: 'same',
              activation: 'relu',
            }),
            probe,
          ),
        ) as tf.Scalar;
      const backpropInputs = async (run: () => void) =>
        (await tf.profile(run)).kernels.filter((k) => k.name === 'Conv2DBackpropInput').length;
      let pruned: tf.NamedTensorMap = {};
      let full: tf.NamedTensorMap = {};
      expect(
        await backpropInputs(() => {
          pruned = gradientsOfVariables(() => tf.variableGrads(loss(fusedConv2d))).grads;
        }),
      ).toBe(0);
      expect(
        await backpropInputs(() => {
          full = tf.variableGrads(loss(fusedConv2d)).grads;
        }),
      ).toBe(1);
      const reference = tf.variableGrads(
        () =>
          tf.sum(
            tf.mul(tf.relu(tf.add(tf.conv2d(x, filter as tf.Tensor4D, 1, 'same'), bias)), probe),
          ) as tf.Scalar,
      ).grads;
      for (const v of [filter, bias]) {
        expectClose(pruned[v.name]!, reference[v.name]!, `pruned ${v.name}`);
        expectClose(full[v.name]!, reference[v.name]!, `full ${v.name}`);
      }
      filter.dispose();
      bias.dispose();
    });

    it('reluGrad is dy where y > 0 and 0 elsewhere (zero included)', () => {
      const dy = tf.tensor([1, 2, 3, 4, 5, 6, 7], [7]);
      const y = tf.tensor([-1, 0, 0.5, 2, -3, 1e-30, 9], [7]);
      expect(Array.from(reluGrad(dy, y).dataSync())).toEqual([0, 0, 3, 4, 0, 6, 7]);
      // And the same through tfjs's Relu gradient, which core re-registers.
      const [g] = tf.grads((v) => tf.sum(tf.mul(tf.relu(v), dy)))([y]);
      expect(Array.from(g!.dataSync())).toEqual([0, 0, 3, 4, 0, 6, 7]);
    });
  });
}
