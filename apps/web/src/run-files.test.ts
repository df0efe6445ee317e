import { RUN_FORMAT } from '@tunelab/core/record';
import { describe, expect, it } from 'vitest';
import { openRunFiles } from './run-files.js';

const file = (name: string, text: string) => ({ name, text: async () => text });
const record = {
  format: RUN_FORMAT,
  id: 'r1',
  name: 'demo',
  status: 'completed',
  createdAt: '2026-11-23T00:00:00Z',
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
};
const line = (epoch: number) =>
  `${JSON.stringify({ kind: 'epoch', epoch, step: epoch * 10, samples: epoch * 100, seconds: epoch, lr: 0.1, time: 't', metrics: { trainLoss: 1 / epoch } })}\n`;

describe('openRunFiles', () => {
  it('reads a run directory picked in the browser', async () => {
    const run = await openRunFiles([
      file('run.json', JSON.stringify(record)),
      file('metrics.jsonl', line(1) + line(2)),
      file('x.png', ''),
    ]);
    expect(run.record.name).toBe('demo');
    expect(run.metrics.map((m) => m.epoch)).toEqual([1, 2]);
  });

  it('says what is missing or wrong', async () => {
    await expect(openRunFiles([file('metrics.jsonl', '')])).rejects.toThrow(
      'no run.json among the 1 file(s) opened',
    );
    await expect(openRunFiles([file('run.json', '{')])).rejects.toThrow(
      /^run\.json: not valid JSON/,
    );
    await expect(
      openRunFiles([file('run.json', JSON.stringify({ ...record, seed: 'x' }))]),
    ).rejects.toThrow(/^run\.json: seed: /);
  });
});
