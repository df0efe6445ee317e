import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { summarize } from '../summary/summarize.js';
import { buildZooModel, isZooName, zoo, zooNames } from './zoo.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Parameters at each entry's default input and classes (derivations in each model's test). */
const PINNED: Record<string, number> = {
  mlp: 101_770, // 784*128 + 128 + 128*10 + 10
  lenet5: 60_850, // 60,000 up to F6 + 850
  vgg11: 132_863_336,
  vgg16: 138_357_544,
  vgg19: 143_667_240,
  resnet18: 11_173_962,
  linear: 7_850,
  mlp2: 26_506,
  cnn4: 13_570,
  sepcnn5: 25_583,
  basecnn: 2_490,
  m2cnn: 23_946,
};

describe('zoo', () => {
  it('lists the CLI names: the classic models, then the benchmark workloads', () => {
    expect(zooNames).toEqual([
      'mlp',
      'lenet5',
      'vgg11',
      'vgg16',
      'vgg19',
      'resnet18',
      'linear',
      'mlp2',
      'cnn4',
      'sepcnn5',
      'basecnn',
      'm2cnn',
    ]);
    expect(Object.keys(zoo).sort()).toEqual([...zooNames].sort());
  });

  for (const name of zooNames) {
    it(`${name} builds at its default input ${JSON.stringify(zoo[name].inputShape)} with ${PINNED[name]!.toLocaleString('en')} parameters`, () => {
      const entry = zoo[name];
      const model = entry.build({ init: 'zeros' });
      const summary = summarize(model, entry.inputShape);
      expect(summary.totals.params).toBe(PINNED[name]);
      expect(summary.outputShape).toEqual([entry.classes]);
      model.dispose();
    });
  }

  it('passes options through: classes, head, seed', () => {
    const a = buildZooModel('cnn4', { classes: 3, seed: 5 });
    const b = buildZooModel('cnn4', { classes: 3, seed: 5 });
    const c = buildZooModel('cnn4', { classes: 3, seed: 6 });
    const first = (m: typeof a) => Array.from(m.parameters()[0]!.variable.dataSync());
    expect(summarize(a, [28, 28, 1]).outputShape).toEqual([3]);
    expect(first(a)).toEqual(first(b));
    expect(first(a)).not.toEqual(first(c));
    const features = buildZooModel('mlp', { head: false });
    expect(summarize(features, [28, 28, 1]).outputShape).toEqual([128]);
    for (const m of [a, b, c, features]) m.dispose();
  });

  it('names the known models when asked for an unknown one', () => {
    expect(isZooName('vgg16')).toBe(true);
    expect(isZooName('alexnet')).toBe(false);
    expect(() => buildZooModel('alexnet')).toThrow(
      'unknown model "alexnet": expected one of mlp, lenet5, vgg11, vgg16, vgg19, resnet18, linear, mlp2, cnn4, sepcnn5, basecnn, m2cnn',
    );
  });
});
