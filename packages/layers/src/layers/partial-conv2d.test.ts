import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@tunelab/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { LENET5_C3_TABLE } from '../models/lenet5.js';
import { conv2dLoops, maxAbsDiff } from '../testing/plain-loops.js';
import { PartialConv2D } from './partial-conv2d.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('PartialConv2D', () => {
  it('equals a plain-loop convolution whose kernel is zero outside the connection table', () => {
    const table = [[0, 2], [1], [0, 1, 2]];
    const layer = new PartialConv2D({
      inputChannels: 3,
      table,
      kernelSize: 3,
      padding: 'same',
      biasInit: (n) => Float32Array.from({ length: n }, (_, i) => i - 1),
      rng: Rng.fromSeed(1),
    });
    // scatter the packed slices [3, 3, 6] into a full [3, 3, 3, 3] kernel by hand
    const packed = layer.weight.variable.dataSync();
    const full = new Float32Array(3 * 3 * 3 * 3);
    for (let t = 0; t < 9; t++) {
      let e = 0;
      table.forEach((inputs, o) => {
        for (const i of inputs) full[(t * 3 + i) * 3 + o] = packed[t * 6 + e++]!;
      });
    }
    const x = Rng.fromSeed(2).normalArray(2 * 4 * 5 * 3);
    const y = tf.tidy(() => layer.forward(tf.tensor4d(x, [2, 4, 5, 3])));
    const expected = conv2dLoops(
      { data: x, shape: [2, 4, 5, 3] },
      { data: full, shape: [3, 3, 3, 3] },
      layer.bias!.variable.dataSync() as Float32Array,
      { padding: 'same' },
    );
    expect(y.shape).toEqual(expected.shape);
    expect(maxAbsDiff(y.dataSync(), expected.data)).toBeLessThan(1e-5);
    y.dispose();
    layer.dispose();
  });

  it("has LeNet-5 C3's 1,516 parameters and 151,600 connections", () => {
    const c3 = new PartialConv2D({
      inputChannels: 6,
      table: LENET5_C3_TABLE,
      kernelSize: 5,
      rng: Rng.fromSeed(1),
    });
    expect(c3.connections).toBe(60); // 6*3 + 9*4 + 1*6
    // 60 kernel slices of 5x5 + 16 biases
    expect(c3.parameterCount()).toBe(1_516);
    expect(c3.describe([14, 14, 6])).toEqual({
      outputShape: [10, 10, 16],
      macs: 10 * 10 * 60 * 25,
      connections: 151_600,
      window: { kernel: [5, 5], stride: [1, 1] },
    });
    c3.dispose();
  });

  it('gives no gradient path to the missing connections: they stay zero after training', () => {
    const layer = new PartialConv2D({
      inputChannels: 2,
      table: [[0], [1]],
      kernelSize: 1,
      rng: Rng.fromSeed(1),
    });
    const x = tf.tensor4d([1, 2, 3, 4], [1, 1, 2, 2]);
    const { grads, value } = tf.variableGrads(
      () => tf.sum(tf.square(layer.forward(x))) as tf.Scalar,
      [layer.weight.variable],
    );
    const g = grads[layer.weight.variable.name]!;
    expect(g.shape).toEqual([1, 1, 2]);
    const kernel = layer.fullKernel();
    const w = Array.from(kernel.dataSync());
    // [in 0 -> out 0, in 0 -> out 1, in 1 -> out 0, in 1 -> out 1]: off-table entries are zero
    expect(w[1]).toBe(0);
    expect(w[2]).toBe(0);
    tf.dispose([x, g, value, kernel]);
    layer.dispose();
  });

  it('rejects a table that names a missing channel', () => {
    expect(
      () =>
        new PartialConv2D({
          inputChannels: 2,
          table: [[0, 2]],
          kernelSize: 1,
          rng: Rng.fromSeed(1),
        }),
    ).toThrow('PartialConv2D: table[0] must list distinct input channels in 0..1, got [0,2]');
  });
});
