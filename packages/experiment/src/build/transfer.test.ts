import '@tensorflow/tfjs-backend-cpu';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { decodeSafetensors } from '@tunelab/core';
import { RunWriter } from '@tunelab/core/node';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeModelSources } from '../node/sources.js';
import { runExperiment } from '../run/run.js';
import { type ExperimentInput, experimentSchema } from '../schema/experiment.js';
import {
  halvesData,
  halvesExperiment,
  halvesFeatures,
  testEnvironment,
} from '../testing/halves.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const root = mkdtempSync(join(tmpdir(), 'tunelab-init-'));

/** Trains `experiment` into a run directory under `root`; returns the directory and result. */
async function train(experiment: ExperimentInput) {
  let dir = '';
  const result = await runExperiment(experimentSchema.parse(experiment), {
    data: halvesData(),
    createRun: (run) => {
      const writer = RunWriter.create(root, run);
      dir = writer.dir;
      return writer;
    },
    environment: testEnvironment,
    sources: nodeModelSources(),
  });
  return { dir, result };
}

const weightsOf = (dir: string) => {
  const path = join(dir, 'artifacts', 'model.safetensors');
  return decodeSafetensors(new Uint8Array(readFileSync(path)), path).tensors;
};

/** The first two parameter layers of halvesExperiment (conv 0 and conv 2), then a new head. */
const withNewHead = (init: Record<string, unknown>): ExperimentInput => ({
  ...halvesExperiment,
  name: 'halves-head',
  seed: 11,
  model: {
    layers: [
      ...halvesFeatures,
      { flatten: {} },
      { dense: { units: 8, activation: 'relu' } },
      { dense: 'classes' },
    ],
    init: init as never,
  },
});

describe('model.init', () => {
  it('starts from a previous run: frozen layers end bit-identical, fine-tuned ones move, the head trains', async () => {
    const pretrained = await train(halvesExperiment);
    const before = weightsOf(pretrained.dir);
    const frozen = await train(withNewHead({ from: pretrained.dir, layers: 2, freeze: true }));
    const after = weightsOf(frozen.dir);
    // Bit for bit: 2 epochs of 20 updates did not touch a frozen value.
    for (const name of ['0.weight', '0.bias', '2.weight', '2.bias'])
      expect(Array.from(after.get(name)!.data)).toEqual(Array.from(before.get(name)!.data));
    // The head is new: 4*4*4 = 64 inputs to 8 units, then 8 to 2.
    expect(after.get('4.weight')!.shape).toEqual([64, 8]);
    expect(frozen.result.final.valAccuracy).toBeGreaterThan(0.9);

    const tuned = await train(withNewHead({ from: pretrained.dir, layers: 2 }));
    const moved = weightsOf(tuned.dir);
    expect(Array.from(moved.get('0.weight')!.data)).not.toEqual(
      Array.from(before.get('0.weight')!.data),
    );
    expect(moved.get('0.weight')!.shape).toEqual(before.get('0.weight')!.shape);
  });

  it('names the run and the layer when the weights do not fit', async () => {
    const pretrained = await train(halvesExperiment);
    await expect(train(withNewHead({ from: pretrained.dir, layers: 5 }))).rejects.toThrow(
      'model.init.layers 5: the model has 4 layers with parameters (0, 2, 4, 5)',
    );
    await expect(
      train({
        ...halvesExperiment,
        model: {
          layers: [
            { conv2d: { filters: 6, kernel: 3, padding: 'same' } },
            { flatten: {} },
            { dense: 'classes' },
          ],
          init: { from: pretrained.dir, layers: 1 },
        },
      }),
    ).rejects.toThrow(
      `model.init.from ${pretrained.dir}: "0.weight" is [3,3,1,4] there but [3,3,1,6] here; model.init.layers 1 reaches a layer that differs`,
    );
    await expect(
      train(withNewHead({ from: join(root, 'no-such-run'), layers: 1 })),
    ).rejects.toThrow(
      /^model\.init\.from .*no-such-run: cannot read artifacts\/model\.safetensors/,
    );
  });
});
