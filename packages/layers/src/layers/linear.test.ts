import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { gradientsRegistered, Rng } from '@tunelab/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Linear } from './linear.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  expect(gradientsRegistered).toBe(true);
});

describe('Linear', () => {
  it('equals y_j = sum_i x_i W_ij + b_j computed with plain loops', () => {
    const layer = new Linear({
      inputs: 5,
      outputs: 3,
      rng: Rng.fromSeed(1),
      biasInit: (n) => Float32Array.from({ length: n }, (_, i) => i - 1),
    });
    const rng = Rng.fromSeed(2);
    const x = rng.normalArray(4 * 5);
    const w = layer.weight.variable.dataSync();
    const b = layer.bias!.variable.dataSync();
    const expected: number[] = [];
    for (let n = 0; n < 4; n++) {
      for (let j = 0; j < 3; j++) {
        let sum = b[j]!;
        for (let i = 0; i < 5; i++) sum += x[n * 5 + i]! * w[i * 3 + j]!;
        expected.push(sum);
      }
    }
    const y = layer.forward(tf.tensor2d(x, [4, 5])).dataSync();
    expected.forEach((v, k) => {
      expect(Math.abs(y[k]! - v)).toBeLessThan(1e-6);
    });
    layer.dispose();
  });

  it('has the gradient dL/dW = x^T dL/dy and dL/db = column sums of dL/dy', () => {
    const layer = new Linear({ inputs: 3, outputs: 2, rng: Rng.fromSeed(3) });
    const x = tf.tensor2d([
      [1, 2, 3],
      [-1, 0.5, 2],
    ]);
    // L = sum(y * c) so dL/dy = c
    const c = tf.tensor2d([
      [1, -2],
      [0.5, 3],
    ]);
    const grads = tf.grads((w: tf.Tensor, b: tf.Tensor) =>
      tf.sum(tf.mul(tf.add(tf.matMul(x, w as tf.Tensor2D), b), c)),
    )([layer.weight.variable, layer.bias!.variable]);
    const { grads: viaLayer } = tf.variableGrads(
      () => tf.sum(tf.mul(layer.forward(x), c)) as tf.Scalar,
      [layer.weight.variable, layer.bias!.variable],
    );
    // x^T c = [[1*1 + -1*0.5, 1*-2 + -1*3], [2*1 + 0.5*0.5, 2*-2 + 0.5*3], [3*1 + 2*0.5, 3*-2 + 2*3]]
    const byHand = [0.5, -5, 2.25, -2.5, 4, 0];
    const dW = viaLayer[layer.weight.variable.name]!.dataSync();
    byHand.forEach((v, i) => {
      expect(dW[i]).toBeCloseTo(v, 6);
    });
    expect(Array.from(viaLayer[layer.bias!.variable.name]!.dataSync())).toEqual([1.5, 1]);
    expect(Array.from(grads[0]!.dataSync())).toEqual(Array.from(dW));
    layer.dispose();
  });

  it('can leave out the bias', () => {
    const layer = new Linear({ inputs: 4, outputs: 2, bias: false, rng: Rng.fromSeed(1) });
    expect(layer.bias).toBeNull();
    expect(layer.parameterCount()).toBe(8);
    layer.dispose();
  });

  it('fuses an activation: relu(x W + b)', () => {
    const layer = new Linear({ inputs: 2, outputs: 2, activation: 'relu', rng: Rng.fromSeed(1) });
    layer.weight.assign(
      tf.tensor2d([
        [1, -1],
        [2, 1],
      ]),
    );
    const y = tf.tidy(() => layer.forward(tf.tensor2d([[1, 1]])).dataSync());
    // [1 + 2, -1 + 1] = [3, 0]; relu keeps both
    expect(Array.from(y)).toEqual([3, 0]);
    const z = tf.tidy(() => layer.forward(tf.tensor2d([[-1, 0]])).dataSync());
    expect(Array.from(z)).toEqual([0, 1]);
    layer.dispose();
  });

  it('describes itself: inputs*outputs MACs, outputs*(inputs+1) connections, a global window', () => {
    const layer = new Linear({ inputs: 784, outputs: 10, rng: Rng.fromSeed(1) });
    expect(layer.describe([784])).toEqual({
      outputShape: [10],
      macs: 7_840,
      connections: 7_850,
      window: 'global',
    });
    expect(() => layer.describe([28, 28, 1])).toThrow(
      'Linear: expected input [784], got [28,28,1] (put a Flatten before it)',
    );
    layer.dispose();
  });

  it('explains a wrong input shape and bad sizes', () => {
    const layer = new Linear({ inputs: 4, outputs: 2, rng: Rng.fromSeed(1) });
    expect(() => layer.forward(tf.zeros([3, 5]))).toThrow(
      'Linear: expected input [batch, 4], got [3,5]',
    );
    expect(() => new Linear({ inputs: 0, outputs: 2, rng: Rng.fromSeed(1) })).toThrow(
      'Linear: inputs must be a positive integer, got 0',
    );
    layer.dispose();
  });
});
