import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@tunelab/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { conv2dLoops, depthwiseLoops, maxAbsDiff } from '../testing/plain-loops.js';
import { SeparableConv2D } from './separable-conv2d.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('SeparableConv2D', () => {
  it('equals a plain-loop depthwise convolution followed by a plain-loop 1x1 convolution', () => {
    const layer = new SeparableConv2D({
      inputChannels: 3,
      filters: 4,
      kernelSize: 3,
      depthMultiplier: 2,
      strides: 2,
      padding: 'same',
      activation: 'relu',
      biasInit: (n) => Float32Array.from({ length: n }, (_, i) => 0.1 * i - 0.1),
      rng: Rng.fromSeed(8),
    });
    const shape: [number, number, number, number] = [2, 5, 6, 3];
    const x = Rng.fromSeed(9).normalArray(2 * 5 * 6 * 3);
    const y = tf.tidy(() => layer.forward(tf.tensor4d(x, shape)));
    const middle = depthwiseLoops(
      { data: x, shape },
      { data: layer.depthwise.variable.dataSync() as Float32Array, shape: layer.depthwise.shape },
      null,
      { strides: [2, 2], padding: 'same' },
    );
    const out = conv2dLoops(
      middle,
      { data: layer.pointwise.variable.dataSync() as Float32Array, shape: layer.pointwise.shape },
      layer.bias!.variable.dataSync() as Float32Array,
    );
    expect(y.shape).toEqual([2, 3, 3, 4]);
    expect(
      maxAbsDiff(
        y.dataSync(),
        out.data.map((v) => Math.max(0, v)),
      ),
    ).toBeLessThan(1e-5);
    y.dispose();
    layer.dispose();
  });

  it("has Keras's parameter count k*k*in*M + in*M*filters + filters (sepcnn5's layers: 25 and 108)", () => {
    const first = new SeparableConv2D({
      inputChannels: 1,
      filters: 8,
      kernelSize: 3,
      padding: 'same',
      rng: Rng.fromSeed(1),
    });
    const second = new SeparableConv2D({
      inputChannels: 8,
      filters: 4,
      kernelSize: 3,
      padding: 'same',
      rng: Rng.fromSeed(1),
    });
    expect(first.parameterCount()).toBe(9 * 1 + 1 * 8 + 8);
    expect(second.parameterCount()).toBe(9 * 8 + 8 * 4 + 4);
    // 28*28 positions * (8 channels * 9 taps + 8 * 4 pointwise)
    expect(second.describe([28, 28, 8])).toMatchObject({ outputShape: [28, 28, 4], macs: 81_536 });
    first.dispose();
    second.dispose();
  });
});
