import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Module } from './module.js';
import type { Parameter } from './parameter.js';

class Affine extends Module {
  readonly type = 'Affine';
  readonly weight: Parameter;
  readonly bias: Parameter;
  constructor(inputs: number, outputs: number) {
    super();
    this.weight = this.addParameter('weight', tf.ones([inputs, outputs]));
    this.bias = this.addParameter('bias', tf.zeros([outputs]));
  }
  forward(x: tf.Tensor): tf.Tensor {
    return tf.add(tf.matMul(x as tf.Tensor2D, this.weight.variable), this.bias.variable);
  }
}

class Norm extends Module {
  readonly type = 'Norm';
  readonly running: tf.Variable;
  constructor(n: number) {
    super();
    this.running = this.addBuffer('running', tf.zeros([n]));
  }
  forward(x: tf.Tensor): tf.Tensor {
    return this.training ? x : tf.sub(x, this.running);
  }
}

class Net extends Module {
  readonly type = 'Net';
  readonly first = this.addModule('first', new Affine(3, 4));
  readonly norm = this.addModule('norm', new Norm(4));
  readonly second = this.addModule('second', new Affine(4, 2));
  forward(x: tf.Tensor): tf.Tensor {
    return this.second.forward(this.norm.forward(this.first.forward(x)));
  }
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('Module', () => {
  it('names parameters by path and counts them', () => {
    const net = new Net();
    expect(net.namedParameters().map(([n, p]) => `${n}:${p.shape}`)).toEqual([
      'first.weight:3,4',
      'first.bias:4',
      'second.weight:4,2',
      'second.bias:2',
    ]);
    expect(net.namedBuffers().map(([n]) => n)).toEqual(['norm.running']);
    // 3*4 + 4 + 4*2 + 2 = 26
    expect(net.parameterCount()).toBe(26);
    net.dispose();
  });

  it('freezes and unfreezes subtrees', () => {
    const net = new Net();
    net.first.freeze();
    expect(net.parameterCount('frozen')).toBe(16);
    expect(net.parameterCount('trainable')).toBe(10);
    expect(net.trainableParameters()).toEqual([net.second.weight, net.second.bias]);
    net.unfreeze();
    expect(net.parameterCount('frozen')).toBe(0);
    net.dispose();
  });

  it('switches train/eval mode recursively', () => {
    const net = new Net();
    expect(net.norm.training).toBe(true);
    net.eval();
    expect(net.norm.training).toBe(false);
    expect(net.first.training).toBe(false);
    net.train();
    expect(net.norm.training).toBe(true);
    net.dispose();
  });

  it('computes the forward pass with its parameters', () => {
    const net = new Net();
    const y = net.forward(tf.tensor2d([[1, 2, 3]]));
    // first: 1+2+3 = 6 per unit (4 units), second: 4*6 = 24 per output
    expect(Array.from(y.dataSync())).toEqual([24, 24]);
    y.dispose();
    net.dispose();
  });

  it('round-trips a state dict and rejects mismatched names and shapes', () => {
    const a = new Net();
    const b = new Net();
    a.first.weight.assign(tf.fill([3, 4], 0.5));
    b.loadStateDict(a.stateDict());
    expect(Array.from(b.first.weight.variable.dataSync())).toEqual(new Array(12).fill(0.5));
    const wrong = new Map(a.stateDict());
    wrong.delete('second.bias');
    wrong.set('third.bias', tf.zeros([2]));
    expect(() => b.loadStateDict(wrong)).toThrow(/missing: second\.bias; unexpected: third\.bias/);
    const badShape = new Map(a.stateDict());
    badShape.set('second.bias', tf.zeros([3]));
    expect(() => b.loadStateDict(badShape)).toThrow(
      /"second.bias" expected float32\[2\], got float32\[3\]/,
    );
    a.dispose();
    b.dispose();
  });

  it('rejects duplicate and malformed part names', () => {
    class Bad extends Module {
      readonly type = 'Bad';
      constructor(name: string) {
        super();
        this.addParameter('w', tf.zeros([1]));
        this.addParameter(name, tf.zeros([1]));
      }
      forward(x: tf.Tensor) {
        return x;
      }
    }
    expect(() => new Bad('w')).toThrow(/Bad: a part named "w" is already registered/);
    expect(() => new Bad('a.b')).toThrow(/letters, digits or underscores/);
  });

  it('frees every tensor on dispose', () => {
    const before = tf.memory().numTensors;
    const net = new Net();
    expect(tf.memory().numTensors).toBe(before + 5);
    net.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
