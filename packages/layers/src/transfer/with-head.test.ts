import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { type Module, Rng } from '@tunelab/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ReLU } from '../layers/activations.js';
import { BatchNorm } from '../layers/batch-norm.js';
import { Conv2D } from '../layers/conv2d.js';
import { Flatten } from '../layers/flatten.js';
import { Linear } from '../layers/linear.js';
import { GlobalAvgPool } from '../layers/pooling.js';
import { Sequential } from '../layers/sequential.js';
import { vgg11 } from '../models/vgg.js';
import { formatSummary } from '../summary/format.js';
import { summarize } from '../summary/summarize.js';
import { fixedBatch, trainSteps } from '../testing/train-steps.js';
import { withHead } from './with-head.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Copies of every parameter's values. */
const values = (m: Module) =>
  m.parameters().map((p) => (p.variable.dataSync() as Float32Array).slice());

/** True when two snapshots hold identical numbers (a loop: VGG has millions). */
function same(a: Float32Array[], b: Float32Array[]): boolean {
  return (
    a.length === b.length &&
    a.every((x, i) => x.length === b[i]!.length && x.every((v, j) => v === b[i]![j]))
  );
}

describe('withHead', () => {
  it('trains a new head on a frozen VGG-11 feature extractor; the backbone does not move', () => {
    const backbone = vgg11({ inputShape: [32, 32, 3], head: false, seed: 1 });
    const head = new Sequential({
      flatten: new Flatten(),
      fc: new Linear({ inputs: 512, outputs: 5, rng: Rng.fromSeed(2) }),
    });
    const model = withHead(backbone, head);
    const summary = summarize(model, [32, 32, 3]);
    // VGG-11 convolutions 9,220,480 frozen; the head 512*5 + 5 = 2,565 trainable
    expect(summary.totals).toMatchObject({ frozenParams: 9_220_480, trainableParams: 2_565 });
    expect(summary.layers.at(-1)).toMatchObject({ name: 'head.fc', trainableParams: 2_565 });
    expect(formatSummary(summary)).toContain('Frozen params: 9,220,480');

    const backboneBefore = values(backbone);
    const headBefore = values(head);
    const batch = fixedBatch([32, 32, 3], 2, 5);
    const { losses } = trainSteps(model, batch, 1, 1e-3);
    expect(losses[1]).toBeLessThan(losses[0]!);
    expect(same(values(backbone), backboneBefore)).toBe(true);
    expect(same(values(head), headBefore)).toBe(false);
    tf.dispose([batch.x, batch.labels]);
    model.dispose();
  });

  it('keeps a frozen backbone in evaluation mode (batch norm statistics stay put) until unfrozen', () => {
    const backbone = new Sequential({
      conv: new Conv2D({ inputChannels: 1, filters: 4, kernelSize: 3, rng: Rng.fromSeed(1) }),
      bn: new BatchNorm({ channels: 4 }),
      relu: new ReLU(),
      pool: new GlobalAvgPool(),
    });
    const bn = backbone.layers[1] as BatchNorm;
    const model = withHead(backbone, new Linear({ inputs: 4, outputs: 2, rng: Rng.fromSeed(2) }));
    const x = tf.randomNormal([3, 6, 6, 1], 2, 1);
    model.train();
    expect(model.training).toBe(true);
    expect(backbone.training).toBe(false);
    tf.dispose(tf.tidy(() => model.forward(x)));
    expect(Array.from(bn.runningMean.dataSync())).toEqual([0, 0, 0, 0]);

    backbone.unfreeze();
    model.train();
    expect(bn.training).toBe(true);
    tf.dispose(tf.tidy(() => model.forward(x)));
    expect(Array.from(bn.runningMean.dataSync())).not.toEqual([0, 0, 0, 0]);
    x.dispose();
    model.dispose();
  });

  it('can leave the backbone trainable (fine-tuning)', () => {
    const model = withHead(
      new Linear({ inputs: 3, outputs: 4, rng: Rng.fromSeed(1) }),
      new Linear({ inputs: 4, outputs: 2, rng: Rng.fromSeed(2) }),
      { freezeBackbone: false },
    );
    expect(model.parameterCount('frozen')).toBe(0);
    expect(model.namedParameters().map(([n]) => n)).toEqual([
      'backbone.weight',
      'backbone.bias',
      'head.weight',
      'head.bias',
    ]);
    model.dispose();
  });
});
