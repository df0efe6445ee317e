import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@tunelab/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { depthwiseLoops, maxAbsDiff } from '../testing/plain-loops.js';
import { DepthwiseConv2D } from './depthwise-conv2d.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const ramp = (n: number) => Float32Array.from({ length: n }, (_, i) => 0.05 * i - 0.2);

describe('DepthwiseConv2D', () => {
  for (const [label, options] of [
    ['multiplier 2, same padding', { depthMultiplier: 2, padding: 'same' }],
    ['stride 2, valid padding, no bias', { strides: 2, bias: false }],
    ['dilation 2', { dilation: 2, padding: 'same' }],
  ] as const) {
    it(`equals the plain-loop depthwise convolution: ${label}`, () => {
      const layer = new DepthwiseConv2D({
        inputChannels: 3,
        kernelSize: 3,
        biasInit: ramp,
        rng: Rng.fromSeed(4),
        ...options,
      });
      const shape: [number, number, number, number] = [2, 7, 6, 3];
      const x = Rng.fromSeed(5).normalArray(2 * 7 * 6 * 3);
      const y = tf.tidy(() => layer.forward(tf.tensor4d(x, shape)));
      const expected = depthwiseLoops(
        { data: x, shape },
        { data: layer.weight.variable.dataSync() as Float32Array, shape: layer.weight.shape },
        layer.bias ? (layer.bias.variable.dataSync() as Float32Array) : null,
        { strides: layer.strides, padding: layer.padding, dilation: layer.dilation },
      );
      expect(y.shape).toEqual(expected.shape);
      expect(maxAbsDiff(y.dataSync(), expected.data)).toBeLessThan(1e-5);
      expect(layer.describe([7, 6, 3]).outputShape).toEqual(y.shape.slice(1));
      y.dispose();
      layer.dispose();
    });
  }

  it('has kh*kw*in*M weights and in*M biases, and counts one MAC per tap', () => {
    const layer = new DepthwiseConv2D({
      inputChannels: 4,
      depthMultiplier: 2,
      kernelSize: 3,
      padding: 'same',
      rng: Rng.fromSeed(1),
    });
    expect(layer.parameterCount()).toBe(3 * 3 * 4 * 2 + 8);
    // 10*10 positions * 8 output channels * 9 taps
    expect(layer.describe([10, 10, 4])).toMatchObject({
      outputShape: [10, 10, 8],
      macs: 7_200,
      connections: 8_000,
    });
    expect(() => layer.describe([10, 10, 3])).toThrow(
      'DepthwiseConv2D: expected input [height, width, 4], got [10,10,3]',
    );
    layer.dispose();
  });
});
