import { describe, expect, it } from 'vitest';
import { planDigest } from '../node/digest.js';
import type { ExperimentInput } from '../schema/experiment.js';
import { type SweepSpec, sweepSchema } from '../schema/sweep.js';
import { checkSelectionMetric, planTrials } from './plan.js';
import { describeValues } from './trials.js';

const base: ExperimentInput = {
  name: 'coursework',
  seed: 42,
  data: { dataset: 'fashion-mnist', split: [0.8, 0.1, 0.1] },
  model: { name: 'linear' },
  optimizer: { name: 'momentum', lr: 0.05, momentum: 0.9 },
  epochs: 2,
  batchSize: 64,
  evaluation: { everySamples: 20_000, trainFraction: 0.2 },
};
const spec = (sweep: unknown): SweepSpec => sweepSchema.parse(sweep);

/** The assignment: three models, each with its own three (epochs, lr) settings. */
const coursework = spec({
  axes: {
    model: [
      { label: 'Model 1', model: { name: 'linear' } },
      { label: 'Model 2', model: { name: 'mlp', hidden: [32] } },
      { label: 'Model 3', model: { name: 'mlp', hidden: [32, 32] } },
    ],
  },
  trials: [
    ['Model 1', 'Setting 1', 5, 0.0001],
    ['Model 1', 'Setting 2', 5, 0.001],
    ['Model 1', 'Setting 3', 15, 0.1],
    ['Model 2', 'Setting 1', 15, 0.0001],
    ['Model 2', 'Setting 2', 15, 0.005],
    ['Model 2', 'Setting 3', 15, 0.1],
    ['Model 3', 'Setting 1', 5, 0.003],
    ['Model 3', 'Setting 2', 40, 0.001],
    ['Model 3', 'Setting 3', 40, 0.1],
  ].map(([model, setting, epochs, lr]) => ({
    at: { model, setting },
    set: { epochs, 'optimizer.lr': lr },
  })),
});

describe('planTrials', () => {
  it('keeps the ids, labels and digest of an axes sweep (run directories of existing sweeps resume)', () => {
    const trials = planTrials(
      base,
      spec({
        axes: {
          model: [
            { model: { name: 'linear' }, label: 'linear' },
            { model: { name: 'mlp2' }, label: 'mlp 32-32' },
            { model: { name: 'mlp', hidden: [256, 128] }, label: 'mlp 256-128' },
            { model: { name: 'cnn4' }, label: 'cnn 2 conv' },
            { model: { name: 'm2cnn' }, label: 'cnn 3 conv' },
          ],
          setting: [
            { epochs: 2, 'optimizer.lr': 0.05, label: '2 epochs, lr 0.05' },
            { epochs: 4, 'optimizer.lr': 0.02, label: '4 epochs, lr 0.02' },
            { epochs: 6, 'optimizer.lr': 0.005, label: '6 epochs, lr 0.005' },
          ],
        },
      }),
      'coursework-sweep.ts',
    );
    expect(trials.map((t) => t.id)).toEqual(
      Array.from({ length: 15 }, (_, i) => `t${String(i + 1).padStart(2, '0')}`),
    );
    expect(trials[1]!.label).toBe('model=linear setting=4 epochs, lr 0.02');
    expect(trials.every((t) => t.title === undefined)).toBe(true);
    // The digest of examples/coursework-sweep.ts before sweep.trials existed (computed with
    // the previous planner): a change here would orphan every existing sweep folder.
    expect(planDigest(trials)).toBe('c85c4a37');
  });

  it('places explicit trials 3x3, each with its own epochs and learning rate', () => {
    const trials = planTrials(base, coursework, 'mnist-coursework.ts');
    expect(trials).toHaveLength(9);
    expect(trials[4]).toMatchObject({
      id: 't05',
      axes: { model: 'Model 2', setting: 'Setting 2' },
      label: 'model=Model 2 setting=Setting 2',
      title: '15 epochs, lr 0.005',
    });
    expect(Object.keys(trials[4]!.axes)).toEqual(['model', 'setting']);
    expect(trials[4]!.experiment.model).toEqual({ name: 'mlp', hidden: [32] });
    expect(trials[4]!.experiment.epochs).toBe(15);
    expect(trials[4]!.experiment.optimizer.lr).toBe(0.005);
    expect(trials.map((t) => t.title)).toEqual([
      '5 epochs, lr 0.0001',
      '5 epochs, lr 0.001',
      '15 epochs, lr 0.1',
      '15 epochs, lr 0.0001',
      '15 epochs, lr 0.005',
      '15 epochs, lr 0.1',
      '5 epochs, lr 0.003',
      '40 epochs, lr 0.001',
      '40 epochs, lr 0.1',
    ]);
    expect(trials[8]!.experiment.model).toEqual({ name: 'mlp', hidden: [32, 32] });
    // The momentum of the base optimizer is kept: only the trial's own paths change.
    expect(trials[8]!.experiment.optimizer).toMatchObject({ name: 'momentum', momentum: 0.9 });
  });

  it('titles show the values run, after the command line (--epochs 1)', () => {
    const trials = planTrials(base, coursework, 'x.ts', { epochs: 1, trainLimit: 500 });
    expect(trials[7]!.title).toBe('1 epoch, lr 0.001');
    expect(trials.every((t) => t.experiment.epochs === 1 && t.experiment.trainLimit === 500)).toBe(
      true,
    );
  });

  it('crosses a trial with the axes it does not name and with the grid', () => {
    const trials = planTrials(
      base,
      spec({
        axes: { model: [{ model: { name: 'linear' } }, { model: { name: 'mlp2' } }] },
        grid: { seed: [1, 2] },
        trials: [
          { at: { setting: 'fast' }, set: { epochs: 1 } },
          { at: { setting: 'slow' }, set: { epochs: 3, 'optimizer.lr': 0.01 }, label: 'slow lr' },
        ],
      }),
      'x.ts',
    );
    // 2 trials x 2 models x 2 seeds, each trial's expansion in order.
    expect(trials.map((t) => t.label)).toEqual([
      'setting=fast model=linear seed=1',
      'setting=fast model=linear seed=2',
      'setting=fast model=mlp2 seed=1',
      'setting=fast model=mlp2 seed=2',
      'setting=slow model=linear seed=1',
      'setting=slow model=linear seed=2',
      'setting=slow model=mlp2 seed=1',
      'setting=slow model=mlp2 seed=2',
    ]);
    expect(trials[6]!.experiment).toMatchObject({ seed: 1, epochs: 3, model: { name: 'mlp2' } });
    expect(trials[6]!.title).toBe('slow lr');
    expect(trials[0]!.title).toBe('1 epoch');
  });

  it('says what is wrong with a trial list', () => {
    const plan = (sweep: unknown) => () => planTrials(base, spec(sweep), 'x.ts');
    const axes = { model: [{ label: 'Model 1', model: { name: 'linear' } }] };
    expect(plan({ axes, trials: [{ at: { model: 'Model 9', setting: 'S1' } }] })).toThrow(
      'x.ts: sweep.trials[0]: at.model is "Model 9", but axis model has "Model 1"',
    );
    expect(
      plan({
        axes,
        trials: [
          { at: { model: 'Model 1', setting: 'S1' } },
          { at: { model: 'Model 1', setting: 'S1' }, set: { epochs: 3 } },
        ],
      }),
    ).toThrow(
      'x.ts: sweep.trials[1]: its position model "Model 1", setting "S1" is also that of sweep.trials[0]',
    );
    expect(
      plan({
        axes,
        trials: [{ at: { model: 'Model 1', setting: 'S1' } }, { at: { model: 'Model 1' } }],
      }),
    ).toThrow(
      'x.ts: sweep.trials[1]: placed on model, but sweep.trials[0] on model, setting; every trial needs a position on the same axes',
    );
    expect(
      plan({
        grid: { 'optimizer.lr': [0.1, 0.01] },
        trials: [{ at: { s: 'a' }, set: { optimizer: { name: 'sgd', lr: 1 } } }],
      }),
    ).toThrow(
      'x.ts: sweep.trials[0]: set.optimizer clashes with optimizer.lr "0.1" (optimizer.lr)',
    );
    expect(plan({ trials: [{ at: { s: 'a' }, set: { epochs: 0 } }] })).toThrow(
      /x.ts \(trial t01: epochs=0\): invalid experiment\n {2}epochs:/,
    );
    expect(
      plan({
        trials: [{ at: { s: 'a' } }],
        random: { trials: 2, params: { seed: { int: [1, 9] } } },
      }),
    ).toThrow('x.ts: sweep: use either axes/grid/trials or random, not both');
  });
});

describe('checkSelectionMetric', () => {
  const literal = { ...base, evaluation: { everySamples: 20_000, heldOut: 'test' as const } };
  it('asks for an explicit test metric when the trials evaluate test during training', () => {
    const trials = planTrials(literal, coursework, 'x.ts');
    expect(trials[0]!.experiment.evaluation?.heldOut).toBe('test');
    expect(() => checkSelectionMetric(trials, 'valAccuracy', 'x.ts')).toThrow(
      "x.ts: evaluation.heldOut is 'test', so the trials record test metrics, not valAccuracy; set sweep.metric: 'testAccuracy'",
    );
    expect(() => checkSelectionMetric(trials, 'testAccuracy', 'x.ts')).not.toThrow();
  });
  it('refuses a test metric for a sweep that never looks at test', () => {
    const trials = planTrials(base, coursework, 'x.ts');
    expect(() => checkSelectionMetric(trials, 'valAccuracy', 'x.ts')).not.toThrow();
    expect(() => checkSelectionMetric(trials, 'testAccuracy', 'x.ts')).toThrow(
      'x.ts: sweep.metric is testAccuracy, but the sweep never looks at the test split',
    );
  });
});

describe('describeValues', () => {
  it('writes a trial cell title', () => {
    expect(describeValues({ epochs: 15, 'optimizer.lr': 0.005 })).toBe('15 epochs, lr 0.005');
    expect(describeValues({ epochs: 1, batchSize: 100, 'optimizer.momentum': 0.9 })).toBe(
      '1 epoch, batch 100, momentum 0.9',
    );
    expect(
      describeValues({ model: { name: 'mlp', hidden: [32, 32] }, 'data.normalize': true }),
    ).toBe('mlp 32-32, normalize true');
  });
});
