import { RUN_FORMAT } from '@tunelab/core/record';
import { describe, expect, it } from 'vitest';
import { type LocalFile, LocalSource } from './local.js';

const file = (path: string, text: string): LocalFile => ({
  path,
  size: text.length,
  text: async () => text,
});
const record = (id: string, extra: Record<string, unknown> = {}) => ({
  format: RUN_FORMAT,
  id,
  name: `run ${id}`,
  status: 'completed',
  createdAt: `2026-11-23T00:00:0${id.length % 10}Z`,
  updatedAt: '2026-11-23T00:00:00Z',
  config: {},
  seed: 1,
  environment: {
    backend: 'webgl',
    backendAttempts: [],
    versions: {},
    platform: 'browser',
    arch: 'x',
    cpus: 0,
  },
  progress: { epoch: 2, epochs: 2, step: 20 },
  ...extra,
});
const line = (epoch: number) =>
  `${JSON.stringify({ kind: 'epoch', epoch, step: epoch * 10, samples: epoch * 100, seconds: epoch, lr: 0.1, time: 't', metrics: { trainLoss: 1 / epoch } })}\n`;

describe('LocalSource', () => {
  it('reads a runs folder picked in the browser: runs, sweep trials, artifacts, partial last lines', async () => {
    const sweep = {
      format: 'tunelab.sweep/1',
      name: 's',
      file: '/home/me/s.ts',
      digest: '1a2b3c4d',
      status: 'completed',
      metric: 'valAccuracy',
      mode: 'max',
      createdAt: 'c',
      updatedAt: 'u',
      rungs: null,
      trials: [
        {
          id: 't01',
          label: 'a',
          axes: { lr: '0.1' },
          overrides: {},
          status: 'done',
          targetEpochs: 2,
        },
        {
          id: 't02',
          label: 'b',
          axes: { lr: '0.2' },
          overrides: {},
          status: 'pending',
          targetEpochs: 2,
        },
      ],
    };
    const source = await LocalSource.open([
      file('runs/a/run.json', JSON.stringify(record('a'))),
      file('runs/a/metrics.jsonl', `${line(1)}${line(2)}{"kind":"ep`),
      file('runs/a/artifacts/model-summary.json', '{}'),
      file('runs/sweep-s/sweep.json', JSON.stringify(sweep)),
      file('runs/sweep-s/t01/run.json', JSON.stringify(record('t01'))),
      file('runs/bad/run.json', '{'),
      file('runs/notes.txt', 'x'),
    ]);
    expect(source.label).toBe('runs');
    const listing = await source.listing();
    expect(listing.runs.map((r) => [r.id, r.sweep])).toEqual([
      ['a', null],
      ['sweep-s/t01', 'sweep-s'],
    ]);
    expect(listing.problems).toEqual([{ id: 'bad', error: expect.stringContaining('JSON') }]);
    expect(listing.sweeps).toEqual([
      expect.objectContaining({ id: 'sweep-s', trials: 2, done: 1 }),
    ]);
    expect((await source.metrics('a')).map((m) => m.epoch)).toEqual([1, 2]);
    expect((await source.run('a')).artifacts).toEqual([
      {
        name: 'model-summary.json',
        path: 'artifacts/model-summary.json',
        kind: 'application/octet-stream',
        bytes: 2,
      },
    ]);
    expect((await source.sweep('sweep-s')).trials.map((t) => t.runId)).toEqual([
      'sweep-s/t01',
      null,
    ]);
  });

  it('reads one run directory, or its two files dropped on their own', async () => {
    const one = await LocalSource.open([file('myrun/run.json', JSON.stringify(record('r1')))]);
    expect((await one.listing()).runs.map((r) => r.id)).toEqual(['myrun']);
    const loose = await LocalSource.open([
      file('run.json', JSON.stringify(record('r2'))),
      file('metrics.jsonl', line(1)),
    ]);
    expect((await loose.listing()).runs.map((r) => r.id)).toEqual(['r2']);
    expect(await loose.metrics('r2')).toHaveLength(1);
  });

  it('says what is missing or wrong', async () => {
    await expect(LocalSource.open([file('metrics.jsonl', '')])).rejects.toThrow(
      'no run.json among the 1 file(s) opened',
    );
    const wrong = await LocalSource.open([
      file('x/run.json', JSON.stringify({ ...record('x'), seed: 'one' })),
    ]);
    expect((await wrong.listing()).problems[0]!.error).toMatch(/^run\.json: seed: /);
    await expect(wrong.run('nope')).rejects.toThrow('no run "nope" among the files opened');
  });
});
