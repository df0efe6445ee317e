import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkFusedActivation, LeCunTanh, ReLU } from './activations.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('LeCunTanh', () => {
  it('is 1.7159 tanh(2a/3), with f(1) close to 1 and f(-1) close to -1', () => {
    const xs = [-3, -1, 0, 1, 2.5];
    const y = tf.tidy(() => new LeCunTanh().forward(tf.tensor1d(xs)).dataSync());
    xs.forEach((v, i) => {
      expect(y[i]).toBeCloseTo(1.7159 * Math.tanh((2 * v) / 3), 6);
    });
    expect(y[3]).toBeCloseTo(1, 4);
    expect(y[1]).toBeCloseTo(-1, 4);
  });
});

describe('activation layers in a summary', () => {
  it('keep the shape and add no MACs or connections (they belong to the unit before)', () => {
    expect(new ReLU().describe([4, 4, 8])).toEqual({
      outputShape: [4, 4, 8],
      macs: 0,
      connections: 0,
      window: 'pointwise',
    });
  });

  it('names the fused activations tfjs accepts', () => {
    expect(checkFusedActivation('Linear', 'relu6')).toBe('relu6');
    expect(() => checkFusedActivation('Linear', 'gelu')).toThrow(
      'Linear: activation must be one of linear, relu, relu6, elu, sigmoid, got "gelu"',
    );
  });
});
