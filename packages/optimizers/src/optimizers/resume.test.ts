import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { encodeCheckpoint, Module, type Parameter, Rng, restoreCheckpoint } from '@tunelab/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { adagrad } from './adagrad.js';
import { adam, adamw } from './adam.js';
import type { SlotOptimizer } from './base.js';
import { rmsprop } from './rmsprop.js';
import { momentum, nesterov, sgd } from './sgd.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

class Affine extends Module {
  readonly type = 'Affine';
  readonly weight: Parameter;
  readonly bias: Parameter;
  constructor() {
    super();
    const rng = Rng.fromSeed(7);
    this.weight = this.addParameter('weight', tf.tensor2d(rng.normalArray(6), [3, 2]));
    this.bias = this.addParameter('bias', tf.tensor1d(rng.normalArray(2)));
  }
  forward(x: tf.Tensor): tf.Tensor {
    return tf.add(tf.matMul(x as tf.Tensor2D, this.weight.variable), this.bias.variable);
  }
}

/** Seeded gradients for `steps` updates of an Affine. */
function gradients(steps: number): Array<[Float32Array, Float32Array]> {
  const rng = Rng.fromSeed(13);
  return Array.from({ length: steps }, () => [rng.normalArray(6), rng.normalArray(2)]);
}

function step(model: Affine, opt: SlotOptimizer, [gw, gb]: [Float32Array, Float32Array]): void {
  const w = tf.tensor2d(gw, [3, 2]);
  const b = tf.tensor1d(gb);
  opt.applyGradients([
    [model.weight, w],
    [model.bias, b],
  ]);
  tf.dispose([w, b]);
}

const factories: Record<string, () => SlotOptimizer> = {
  sgd: () => sgd({ lr: 0.1 }),
  momentum: () => momentum({ lr: 0.1 }),
  nesterov: () => nesterov({ lr: 0.1 }),
  adam: () => adam({ lr: 0.05 }),
  adamw: () => adamw({ lr: 0.05 }),
  rmsprop: () => rmsprop({ lr: 0.01, momentum: 0.9, centered: true }),
  adagrad: () => adagrad({ lr: 0.1, initialAccumulatorValue: 0.1 }),
};

describe('resume through a checkpoint file (encodeCheckpoint / restoreCheckpoint)', () => {
  for (const [name, make] of Object.entries(factories)) {
    it(`${name}: the updates after resuming equal an uninterrupted run's, bit for bit`, async () => {
      const grads = gradients(7);
      const before = tf.memory().numTensors;

      const full = new Affine();
      const fullOpt = make();
      for (const g of grads) step(full, fullOpt, g);

      const first = new Affine();
      const firstOpt = make();
      for (const g of grads.slice(0, 4)) step(first, firstOpt, g);
      const bytes = await encodeCheckpoint(first, firstOpt, { epoch: 1, step: 4 });
      first.dispose();
      firstOpt.dispose();

      const resumed = new Affine();
      const resumedOpt = make();
      restoreCheckpoint(bytes, `${name}.safetensors`, resumed, resumedOpt);
      expect(resumedOpt.iterations).toBe(4);
      for (const g of grads.slice(4)) step(resumed, resumedOpt, g);

      for (const key of ['weight', 'bias'] as const) {
        expect(Array.from(resumed[key].variable.dataSync())).toEqual(
          Array.from(full[key].variable.dataSync()),
        );
      }
      for (const m of [full, resumed]) m.dispose();
      fullOpt.dispose();
      resumedOpt.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});
