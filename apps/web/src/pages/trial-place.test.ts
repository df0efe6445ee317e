import type { TrialAttempt, TrialWithRun } from '@tunelab/core/record';
import { describe, expect, it } from 'vitest';
import { trialPlace } from './trial-place.js';

const trial = (o: Partial<TrialWithRun>): TrialWithRun => ({
  id: 't02',
  label: 'lr=0.1',
  axes: {},
  overrides: {},
  status: 'pending',
  targetEpochs: 6,
  runId: null,
  ...o,
});

describe('where a queued trial is', () => {
  it('says nothing for a trial of a local sweep', () => {
    expect(trialPlace(trial({ status: 'running' }))).toBe('');
  });

  it('shows a trial waiting, running on a worker with its epoch, and its attempts after a lost worker', () => {
    expect(trialPlace(trial({ status: 'queued' }))).toBe(
      '<div class="muted small worker">waiting for a worker</div>',
    );
    const at = { job: 'sweep-s-1a2b3c4d.t02', startedAt: '2026-12-04T10:00:00.000Z' };
    const w1: TrialAttempt = {
      ...at,
      id: 'w1#1',
      number: 1,
      worker: 'w1',
      host: 'lab-1',
      backend: 'wasm',
      fromEpoch: 0,
      outcome: 'lost',
    };
    const w2: TrialAttempt = {
      ...at,
      id: 'w2#1',
      number: 2,
      worker: 'w2<x>',
      host: 'gpu-2',
      backend: 'webgpu',
      fromEpoch: 2,
      outcome: 'running',
    };
    expect(
      trialPlace(
        trial({
          status: 'running',
          epoch: 3,
          worker: { id: 'w2<x>', host: 'gpu-2', backend: 'webgpu' },
          attempts: [w1, w2],
        }),
      ),
    ).toBe(
      '<div class="muted small worker">on w2&#60;x&#62; (gpu-2, webgpu) · epoch 3/6</div>' +
        '<div class="muted small worker">attempts: w1, lost · w2&#60;x&#62; from epoch 2, running</div>',
    );
    expect(trialPlace(trial({ status: 'queued', attempts: [w1] }))).toBe(
      '<div class="muted small worker">back in the queue, waiting for a worker</div>',
    );
  });
});
