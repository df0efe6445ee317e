import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@tunelab/core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { conv2dLoops, maxAbsDiff } from '../testing/plain-loops.js';
import { Conv2D, type Conv2DArgs } from './conv2d.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

let before = 0;
beforeAll(() => {
  before = tf.memory().numTensors;
});
afterEach(() => {
  expect(tf.memory().numTensors).toBe(before);
});

const ones = (n: number) => Float32Array.from({ length: n }, (_, i) => 0.1 * (i % 7) - 0.3);

function check(args: Omit<Conv2DArgs, 'rng'>, inputShape: [number, number, number, number]) {
  const layer = new Conv2D({ ...args, rng: Rng.fromSeed(1), biasInit: ones });
  const x = Rng.fromSeed(2).normalArray(inputShape.reduce((a, b) => a * b, 1));
  const y = tf.tidy(() => layer.forward(tf.tensor4d(x, inputShape)));
  const expected = conv2dLoops(
    { data: x, shape: inputShape },
    { data: layer.weight.variable.dataSync() as Float32Array, shape: layer.weight.shape },
    layer.bias ? (layer.bias.variable.dataSync() as Float32Array) : null,
    { strides: layer.strides, padding: layer.padding, dilation: layer.dilation },
  );
  const relu = args.activation === 'relu';
  const want = relu ? expected.data.map((v) => Math.max(0, v)) : expected.data;
  expect(y.shape).toEqual(expected.shape);
  expect(maxAbsDiff(y.dataSync(), want)).toBeLessThan(1e-5);
  // the analytic shape agrees with the computed one
  expect(layer.describe(inputShape.slice(1)).outputShape).toEqual(y.shape.slice(1));
  y.dispose();
  layer.dispose();
}

describe('Conv2D', () => {
  it('equals the plain-loop convolution: non-square kernel, same padding', () => {
    check({ inputChannels: 2, filters: 3, kernelSize: [3, 2], padding: 'same' }, [2, 5, 6, 2]);
  });

  it('equals the plain-loop convolution: stride 2, valid padding, no bias', () => {
    check(
      { inputChannels: 3, filters: 2, kernelSize: 3, strides: 2, padding: 'valid', bias: false },
      [1, 7, 8, 3],
    );
  });

  it('equals the plain-loop convolution: stride 2 with same padding (odd input, uneven padding)', () => {
    check(
      { inputChannels: 1, filters: 2, kernelSize: 2, strides: 2, padding: 'same' },
      [1, 5, 5, 1],
    );
  });

  it('equals the plain-loop convolution: dilation 2 (a 3x3 kernel covering 5x5)', () => {
    check(
      { inputChannels: 2, filters: 2, kernelSize: 3, dilation: 2, padding: 'same' },
      [1, 6, 7, 2],
    );
  });

  it('fuses the ReLU activation', () => {
    check({ inputChannels: 2, filters: 4, kernelSize: 3, activation: 'relu' }, [2, 4, 4, 2]);
  });

  it('describes 28x28x1 -> 3x3x8 same: 28*28*8*9 = 56,448 MACs, 28*28*8*(9+1) connections', () => {
    const layer = new Conv2D({
      inputChannels: 1,
      filters: 8,
      kernelSize: 3,
      padding: 'same',
      rng: Rng.fromSeed(1),
    });
    expect(layer.describe([28, 28, 1])).toEqual({
      outputShape: [28, 28, 8],
      macs: 56_448,
      connections: 62_720,
      window: { kernel: [3, 3], stride: [1, 1] },
    });
    expect(layer.parameterCount()).toBe(3 * 3 * 1 * 8 + 8);
    layer.dispose();
  });

  it('explains bad options and inputs', () => {
    const rng = Rng.fromSeed(1);
    const layer = new Conv2D({ inputChannels: 3, filters: 2, kernelSize: 5, rng });
    const gray = tf.zeros([1, 8, 8, 1]);
    expect(() => layer.forward(gray)).toThrow(
      'Conv2D: expected input [batch, height, width, 3], got [1,8,8,1]',
    );
    gray.dispose();
    expect(() => layer.describe([4, 8, 3])).toThrow(
      "Conv2D: input 4x8 is smaller than the 5x5 window with 'valid' padding",
    );
    expect(() => layer.describe([784])).toThrow(
      'Conv2D: expected input [height, width, 3], got [784]',
    );
    expect(
      () =>
        new Conv2D({ inputChannels: 1, filters: 1, kernelSize: 3, strides: 2, dilation: 2, rng }),
    ).toThrow(
      'Conv2D: strides and dilation cannot both exceed 1 (a tfjs limit), got strides [2,2] and dilation [2,2]',
    );
    expect(() => new Conv2D({ inputChannels: 1, filters: 1, kernelSize: 0, rng })).toThrow(
      'Conv2D: kernelSize must be a positive integer or [height, width] of them, got 0',
    );
    expect(
      () =>
        new Conv2D({ inputChannels: 1, filters: 1, kernelSize: 3, padding: 'full' as never, rng }),
    ).toThrow(`Conv2D: padding must be 'same' or 'valid', got "full"`);
    expect(
      () =>
        new Conv2D({
          inputChannels: 1,
          filters: 1,
          kernelSize: 3,
          activation: 'tanh' as never,
          rng,
        }),
    ).toThrow('Conv2D: activation must be one of linear, relu, relu6, elu, sigmoid, got "tanh"');
    layer.dispose();
  });
});
