import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@tunelab/core';
import { Flatten, Linear, Sequential } from '@tunelab/layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { prepareData } from '../data/prepare.js';
import { experimentSchema } from '../schema/experiment.js';
import { anyModelSchema } from '../schema/model.js';
import { halvesData, halvesExperiment } from '../testing/halves.js';
import { buildModel, modelRef } from './model.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const mnist = { inputShape: [28, 28, 1], classes: 10 };

describe('buildModel', () => {
  it('says lenet5 needs 32x32 inputs, naming data.pad and data.resize', async () => {
    await expect(
      buildModel(anyModelSchema.parse({ name: 'lenet5' }), mnist, Rng.fromSeed(1)),
    ).rejects.toThrow(
      /^model lenet5 is built for 32x32x1 inputs and cannot take the data's 28x28x1 \(.*\): add data\.pad: 2 \(zero borders, as LeCun et al\. 1998 pad 28x28 digits for LeNet-5\) or data\.resize: \[32, 32\] to the experiment$/,
    );
    const model = await buildModel(
      anyModelSchema.parse({ name: 'lenet5' }),
      { inputShape: [32, 32, 1], classes: 10 },
      Rng.fromSeed(1),
    );
    // The paper's count with a dense output layer: 60,850.
    expect(model.parameterCount()).toBe(60_850);
    model.dispose();
  });

  it("pads every image by data.pad zeros on each side (28x28 padded by 2 is LeNet-5's 32x32)", () => {
    const data = halvesData(40);
    const experiment = experimentSchema.parse({
      ...halvesExperiment,
      data: { dataset: 'halves', pad: 2 },
    });
    const prepared = prepareData(experiment, data);
    expect(prepared.inputShape).toEqual([12, 12, 1]);
    const batch = prepared.train.batch(Int32Array.from([0, 1]));
    expect(batch.x.shape).toEqual([2, 12, 12, 1]);
    // The border is zero.
    const top = tf.slice(batch.x, [0, 0, 0, 0], [1, 1, 12, 1]);
    expect(Array.from(top.dataSync())).toEqual(new Array(12).fill(0));
    top.dispose();
    tf.dispose([batch.x, batch.y]);
  });

  it('calls a builder function with the data shape, the classes and a seeded generator', async () => {
    const seen: unknown[] = [];
    const config = anyModelSchema.parse(
      ({ inputShape, classes, rng }: { inputShape: number[]; classes: number; rng: Rng }) => {
        seen.push({ inputShape, classes });
        return new Sequential([new Flatten(), new Linear({ inputs: 784, outputs: classes, rng })]);
      },
    );
    const model = await buildModel(config, mnist, Rng.fromSeed(1));
    expect(seen).toEqual([{ inputShape: [28, 28, 1], classes: 10 }]);
    expect(model.parameterCount()).toBe(7_850);
    // Held only in memory, it has no reference a replica thread could import.
    expect(modelRef(config, mnist)).toBeNull();
    model.dispose();
  });

  it('points replicas at buildReplicaModel with the JSON model, without init and freeze', () => {
    const config = anyModelSchema.parse({
      layers: [{ flatten: {} }, { dense: 'classes' }],
      freeze: 1,
    });
    expect(modelRef(config, mnist, { tunelab: '/x.js' })).toEqual({
      module: '@tunelab/experiment/node',
      export: 'buildReplicaModel',
      args: [
        { layers: [{ flatten: {} }, { dense: 'classes' }] },
        [28, 28, 1],
        10,
        { tunelab: '/x.js' },
      ],
    });
  });
});
