import { describe, expect, it } from 'vitest';
import type { ExperimentInput } from '../schema/experiment.js';
import { sweepSchema } from '../schema/sweep.js';
import { planTrials } from './plan.js';

const base: ExperimentInput = {
  name: 'cnn',
  data: { dataset: 'fashion-mnist' },
  model: {
    layers: [
      { conv2d: { filters: 8, kernel: 3, padding: 'same', activation: 'relu' } },
      { batchNorm: {} },
      { maxPool: 2 },
      { flatten: {} },
      { dense: 'classes' },
    ],
  },
  optimizer: { name: 'adam' },
  epochs: 1,
};

describe('planTrials with architecture axes', () => {
  it('sweeps layer fields by path: filters x kernel size x batch norm is 3 x 2 x 2 = 12 trials', () => {
    const sweep = sweepSchema.parse({
      grid: {
        'model.layers[0].conv2d.filters': [8, 16, 32],
        'model.layers[0].conv2d.kernel': [3, 5],
      },
      axes: {
        'batch norm': [
          { 'model.layers[1]': { batchNorm: {} }, label: 'yes' },
          { 'model.layers[1]': null, label: 'no' },
        ],
      },
    });
    const trials = planTrials(base, sweep, 'cnn.ts');
    expect(trials).toHaveLength(12);
    const t = trials.find(
      (x) =>
        x.label ===
        'batch norm=no model.layers[0].conv2d.filters=16 model.layers[0].conv2d.kernel=5',
    );
    expect(t).toBeDefined();
    expect(t!.axes).toEqual({
      'batch norm': 'no',
      'model.layers[0].conv2d.filters': '16',
      'model.layers[0].conv2d.kernel': '5',
    });
    const layers = (t!.experiment.model as { layers: unknown[] }).layers;
    expect(layers[0]).toEqual({
      conv2d: { filters: 16, kernel: 5, padding: 'same', activation: 'relu' },
    });
    expect(layers[1]).toBeNull();
    // The base experiment is not changed by planning.
    expect((base.model as { layers: unknown[] }).layers[1]).toEqual({ batchNorm: {} });
    expect(t!.experiment.name).toBe(`cnn-${t!.id}`);
  });

  it('labels a layer value by its kind, and null as none', () => {
    const sweep = sweepSchema.parse({
      grid: { 'model.layers[1]': [{ batchNorm: {} }, { dropout: 0.25 }, null] },
    });
    expect(planTrials(base, sweep, 'cnn.ts').map((t) => t.label)).toEqual([
      'batchNorm',
      'dropout 0.25',
      'none',
    ]);
  });

  it('names the trial, the path and the field when an override breaks the experiment', () => {
    expect(() =>
      planTrials(
        base,
        sweepSchema.parse({ grid: { 'model.layers[9].conv2d.filters': [4] } }),
        'cnn.ts',
      ),
    ).toThrow(
      'cnn.ts (trial t01: model.layers[9].conv2d.filters=4): sweep path model.layers[9]: the list has 5 entries',
    );
    expect(() =>
      planTrials(
        base,
        sweepSchema.parse({ grid: { 'model.layers[0].conv2d.filters': [0] } }),
        'cnn.ts',
      ),
    ).toThrow(
      /cnn\.ts \(trial t01: model\.layers\[0\]\.conv2d\.filters=0\): invalid experiment\n {2}model\.layers\.0\.conv2d\.filters: /,
    );
  });
});
