import type { TrialWithRun } from '@tunelab/core/record';
import { describe, expect, it } from 'vitest';
import { trialParameters } from './sweep.js';

const trial = (
  id: string,
  axes: Record<string, string>,
  overrides: Record<string, unknown>,
  title?: string,
): TrialWithRun => ({
  id,
  label: Object.entries(axes)
    .map(([k, v]) => `${k}=${v}`)
    .join(' '),
  axes,
  overrides,
  ...(title ? { title } : {}),
  status: 'done',
  targetEpochs: 5,
  runId: null,
});

describe('trialParameters', () => {
  it('places explicit trials by their axis positions, then their own numbers', () => {
    const rows = trialParameters([
      trial(
        't01',
        { model: 'Model 1', setting: 'Setting 1' },
        { model: { name: 'linear' }, epochs: 5, 'optimizer.lr': 0.0001 },
        '5 epochs, lr 0.0001',
      ),
      trial(
        't05',
        { model: 'Model 2', setting: 'Setting 2' },
        { model: { name: 'mlp', hidden: [32] }, epochs: 15, 'optimizer.lr': 0.005 },
        '15 epochs, lr 0.005',
      ),
      trial(
        't08',
        { model: 'Model 3', setting: 'Setting 2' },
        { model: { name: 'mlp', hidden: [32, 32] }, epochs: 40, 'optimizer.lr': 0.001 },
        '40 epochs, lr 0.001',
      ),
    ]);
    // Model 2 and Model 3 are both 'mlp' by name: the axis position tells them apart.
    expect(rows).toEqual([
      { model: 'Model 1', setting: 'Setting 1', epochs: 5, 'optimizer.lr': 0.0001 },
      { model: 'Model 2', setting: 'Setting 2', epochs: 15, 'optimizer.lr': 0.005 },
      { model: 'Model 3', setting: 'Setting 2', epochs: 40, 'optimizer.lr': 0.001 },
    ]);
  });

  it('keeps the overrides of a product sweep (axes labels only when nothing varies)', () => {
    const rows = trialParameters([
      trial('t01', { model: 'mlp', lr: '0.1' }, { model: { name: 'mlp' }, 'optimizer.lr': 0.1 }),
      trial('t02', { model: 'cnn', lr: '0.1' }, { model: { name: 'cnn4' }, 'optimizer.lr': 0.1 }),
    ]);
    expect(rows).toEqual([{ model: 'mlp' }, { model: 'cnn4' }]);
    expect(
      trialParameters([trial('t01', { seed: '1' }, {}), trial('t02', { seed: '2' }, {})]),
    ).toEqual([{ seed: '1' }, { seed: '2' }]);
  });
});
