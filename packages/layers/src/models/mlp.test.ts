import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { activation } from '../layers/activations.js';
import { mlp } from './mlp.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('mlp', () => {
  it('has 784*128 + 128 + 128*10 + 10 = 101,770 parameters for one hidden layer of 128', () => {
    const model = mlp({ inputShape: [28, 28, 1], hidden: [128], classes: 10, seed: 1 });
    expect(model.parameterCount()).toBe(101_770);
    expect(model.namedParameters().map(([n, p]) => `${n} [${p.shape}]`)).toEqual([
      '1.weight [784,128]',
      '1.bias [128]',
      '3.weight [128,10]',
      '3.bias [10]',
    ]);
    expect(model.layers.map((l) => l.type)).toEqual(['Flatten', 'Linear', 'ReLU', 'Linear']);
    model.dispose();
  });

  it('maps [batch, 28, 28, 1] to [batch, classes] logits', () => {
    const model = mlp({ inputShape: [28, 28, 1], hidden: [32, 32], classes: 10, seed: 1 });
    const y = model.forward(tf.zeros([5, 28, 28, 1]));
    expect(y.shape).toEqual([5, 10]);
    // 784*32+32 + 32*32+32 + 32*10+10 = 26,506 (the mlp2 benchmark workload)
    expect(model.parameterCount()).toBe(26_506);
    model.dispose();
  });

  it('starts from the same weights for the same seed', () => {
    const a = mlp({ inputShape: [4], hidden: [3], classes: 2, seed: 5 });
    const b = mlp({ inputShape: [4], hidden: [3], classes: 2, seed: 5 });
    const c = mlp({ inputShape: [4], hidden: [3], classes: 2, seed: 6 });
    const w = (m: typeof a) => Array.from(m.parameters()[0]!.variable.dataSync());
    expect(w(a)).toEqual(w(b));
    expect(w(a)).not.toEqual(w(c));
    for (const m of [a, b, c]) m.dispose();
  });
});

describe('activations', () => {
  const xs = [-2, -0.5, 0, 0.5, 2];
  const cases: Array<[Parameters<typeof activation>[0], (v: number) => number]> = [
    ['relu', (v) => Math.max(0, v)],
    ['sigmoid', (v) => 1 / (1 + Math.exp(-v))],
    ['tanh', (v) => Math.tanh(v)],
    ['elu', (v) => (v > 0 ? v : Math.exp(v) - 1)],
  ];
  for (const [name, f] of cases) {
    it(`${name} matches its closed form`, () => {
      const y = activation(name).forward(tf.tensor1d(xs)).dataSync();
      xs.forEach((v, i) => {
        expect(y[i]).toBeCloseTo(f(v), 6);
      });
    });
  }

  it('softmax is exp(x_i) / sum exp(x_j) over the last axis', () => {
    const y = activation('softmax')
      .forward(tf.tensor2d([xs]))
      .dataSync();
    const total = xs.reduce((a, v) => a + Math.exp(v), 0);
    xs.forEach((v, i) => {
      expect(y[i]).toBeCloseTo(Math.exp(v) / total, 6);
    });
  });

  it('rejects an unknown name', () => {
    expect(() => activation('swish' as never)).toThrow(
      'Unknown activation "swish": expected relu, sigmoid, tanh, softmax or elu',
    );
  });
});
