import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRun } from '../node/run-reader.js';
import { RunWriter } from '../node/run-writer.js';
import type { Callback, EpochLogs, TrainingContext } from '../train/callback.js';
import { parseMetricLines, parseRunRecord } from './format.js';
import { recordRun } from './recorder.js';
import { MemoryRun, type NewRun, type RunSink } from './sink.js';

const run: NewRun = {
  name: 'browser run',
  config: { model: { name: 'cnn4' } },
  seed: 7,
  environment: {
    backend: 'webgl',
    backendAttempts: [],
    versions: {},
    platform: 'browser',
    arch: 'x',
    cpus: 4,
  },
  epochs: 3,
};

const epoch = (e: number, valAccuracy: number): EpochLogs => ({
  epoch: e,
  step: e * 10,
  samples: e * 320,
  seconds: e,
  lr: 0.01,
  metrics: { trainLoss: 1 / e, valAccuracy },
});

/** Drives recordRun's hooks as fit would: three epochs, one periodic evaluation, a stop. */
async function train(sink: RunSink): Promise<void> {
  const callback: Callback = recordRun(sink);
  const context = {} as TrainingContext;
  await callback.onEpochEnd?.(epoch(1, 0.5), context);
  await callback.onEvaluation?.(
    { epoch: 1.5, step: 15, samples: 480, seconds: 1.5, metrics: { valAccuracy: 0.6 } },
    context,
  );
  await callback.onEpochEnd?.(epoch(2, 0.7), context);
  await callback.onEpochEnd?.(epoch(3, 0.65), context);
  await callback.onTrainEnd?.(
    { epochs: [], stopReason: 'stopped', stopDetail: 'patience 1 on valAccuracy' },
    context,
  );
}

describe('MemoryRun', () => {
  it('records the same run as a run directory does', async () => {
    const memory = new MemoryRun(run);
    let changes = 0;
    memory.onChange(() => changes++);
    await train(memory);
    const writer = RunWriter.create(mkdtempSync(join(tmpdir(), 'tunelab-sink-')), run);
    await train(writer);
    const disk = readRun(writer.dir);

    const strip = <T extends { time?: string }>(m: T) => ({ ...m, time: '' });
    expect(memory.metrics.map(strip)).toEqual(disk.metrics.map(strip));
    expect(memory.metrics.map((m) => m.kind)).toEqual(['epoch', 'evaluation', 'epoch', 'epoch']);
    const r = memory.record;
    expect(r.status).toBe('stopped');
    expect(r.stopDetail).toBe('patience 1 on valAccuracy');
    expect(r.best).toEqual({ metric: 'valAccuracy', value: 0.7, epoch: 2 });
    expect(r.progress).toEqual({ epoch: 3, epochs: 3, step: 30 });
    expect(r.final).toEqual({ trainLoss: 1 / 3, valAccuracy: 0.65 });
    for (const key of ['status', 'best', 'progress', 'final', 'stopDetail', 'config'] as const)
      expect(r[key]).toEqual(disk.record[key]);
    expect(r.id).toMatch(/^\d{8}-\d{6}-browser-run-[0-9a-f]{4}$/);
    // 4 metrics lines + 3 epoch updates + the finish.
    expect(changes).toBe(8);
  });

  it('gives the files of a run directory: run.json and metrics.jsonl that parse back', async () => {
    const memory = new MemoryRun({ ...run, id: 'r1' });
    await train(memory);
    memory.writeArtifact('notes.txt', 'hello', 'text/plain', 'a note');
    expect(parseRunRecord(JSON.parse(memory.recordText())).artifacts).toEqual([
      { path: 'artifacts/notes.txt', kind: 'text/plain', description: 'a note' },
    ]);
    expect(parseMetricLines(memory.metricsText())).toEqual(memory.metrics);
    expect(memory.artifacts.map((a) => a.name)).toEqual(['notes.txt']);
    expect(() => memory.writeArtifact('../x', 'y', 'text/plain')).toThrow(
      'artifact name "../x" must be a plain file name',
    );
    // The run directory's metrics.jsonl is the same text.
    const writer = RunWriter.create(mkdtempSync(join(tmpdir(), 'tunelab-sink-')), {
      ...run,
      id: 'r1',
    });
    await train(writer);
    const strip = (text: string) => text.replace(/"time":"[^"]*"/g, '"time":""');
    expect(strip(memory.metricsText())).toBe(
      strip(readFileSync(join(writer.dir, 'metrics.jsonl'), 'utf8')),
    );
  });
});
