import { appendFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMetricLines, RUN_FORMAT } from '../record/format.js';
import { useDurableFs } from './durable-write.js';
import { listRuns, readRun } from './run-reader.js';
import { RunWriter } from './run-writer.js';
import { simulatedDisk } from './simulated-disk.js';

const environment = {
  backend: 'wasm',
  backendAttempts: [
    {
      name: 'tfjs-node',
      packageName: '@tensorflow/tfjs-node',
      outcome: 'not-installed',
      detail: 'not installed',
    },
  ],
  versions: { node: 'v20', 'tfjs-core': '4.22.0' },
  platform: 'linux',
  arch: 'x64',
  cpus: 2,
};

function newRun(root: string, name = 'quickstart') {
  return RunWriter.create(root, {
    name,
    config: { epochs: 2, lr: 0.001 },
    seed: 42,
    environment,
    epochs: 2,
  });
}

describe('run record', () => {
  it('writes a run directory and reads it back', () => {
    const root = mkdtempSync(join(tmpdir(), 'tunelab-runs-'));
    const writer = newRun(root);
    expect(writer.id).toMatch(/^\d{8}-\d{6}-quickstart-[0-9a-f]{4}$/);
    writer.appendMetrics({
      kind: 'epoch',
      epoch: 1,
      step: 10,
      samples: 1000,
      seconds: 1.5,
      lr: 0.001,
      time: new Date().toISOString(),
      metrics: { trainLoss: 0.9, valAccuracy: 0.7 },
    });
    writer.appendMetrics({
      kind: 'epoch',
      epoch: 2,
      step: 20,
      samples: 2000,
      seconds: 3,
      lr: 0.001,
      time: new Date().toISOString(),
      metrics: { trainLoss: 0.5, valAccuracy: 0.8 },
    });
    writer.update({
      progress: { epoch: 2, epochs: 2, step: 20 },
      final: { trainLoss: 0.5, valAccuracy: 0.8 },
    });
    writer.writeArtifact('curve.svg', '<svg/>', 'image/svg+xml', 'learning curve');
    writer.finish('completed');

    const run = readRun(writer.dir);
    expect(run.record.format).toBe(RUN_FORMAT);
    expect(run.record.status).toBe('completed');
    expect(run.record.seed).toBe(42);
    expect(run.record.config).toEqual({ epochs: 2, lr: 0.001 });
    expect(run.record.environment.backend).toBe('wasm');
    expect(run.record.final).toEqual({ trainLoss: 0.5, valAccuracy: 0.8 });
    expect(run.record.endedAt).toBeDefined();
    expect(run.record.artifacts).toEqual([
      { path: 'artifacts/curve.svg', kind: 'image/svg+xml', description: 'learning curve' },
    ]);
    expect(readFileSync(join(writer.dir, 'artifacts/curve.svg'), 'utf8')).toBe('<svg/>');
    expect(run.metrics.map((m) => m.epoch)).toEqual([1, 2]);
    // Atomic replacement leaves no temp files behind.
    expect(readdirSync(writer.dir).sort()).toEqual(['artifacts', 'metrics.jsonl', 'run.json']);
  });

  it('ignores a partial last metrics line (a write in progress) but not a corrupt middle line', () => {
    const root = mkdtempSync(join(tmpdir(), 'tunelab-runs-'));
    const writer = newRun(root);
    writer.appendMetrics({
      kind: 'epoch',
      epoch: 1,
      step: 1,
      samples: 1,
      seconds: 1,
      lr: 0.1,
      time: 't',
      metrics: {},
    });
    appendFileSync(join(writer.dir, 'metrics.jsonl'), '{"kind":"epoch","epo');
    expect(readRun(writer.dir).metrics).toHaveLength(1);
    expect(() => parseMetricLines('{"kind":"epoch"\n{}\n', 'm.jsonl')).toThrow(
      /^m\.jsonl:1: not valid JSON/,
    );
    expect(() => parseMetricLines('{"kind":"epoch","epoch":"one"}\n', 'm.jsonl')).toThrow(
      /^m\.jsonl:1: .*epoch/,
    );
  });

  it('names the file and field when run.json is invalid', () => {
    const root = mkdtempSync(join(tmpdir(), 'tunelab-runs-'));
    const writer = newRun(root);
    const path = join(writer.dir, 'run.json');
    const json = JSON.parse(readFileSync(path, 'utf8'));
    json.status = 'exploded';
    writeFileSync(path, JSON.stringify(json));
    expect(() => readRun(writer.dir)).toThrow(
      new RegExp(`${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: status: `),
    );
    expect(() => readRun(root)).toThrow(/not a run directory/);
  });

  it('lists runs oldest first and reopens one to continue writing', () => {
    const root = mkdtempSync(join(tmpdir(), 'tunelab-runs-'));
    const a = newRun(root, 'first');
    const b = newRun(join(root, 'sweep-1'), 'second');
    expect(
      listRuns(root)
        .map((r) => r.record.name)
        .sort(),
    ).toEqual(['first', 'second']);
    const reopened = RunWriter.open(a.dir);
    reopened.update({ testEvaluations: [{ at: 'now', metrics: { testAccuracy: 0.9 } }] });
    expect(readRun(a.dir).record.testEvaluations).toHaveLength(1);
    expect(readRun(b.dir).record.status).toBe('running');
  });

  it('refuses artifact names that would escape the run directory', () => {
    const root = mkdtempSync(join(tmpdir(), 'tunelab-runs-'));
    expect(() => newRun(root).writeArtifact('../evil.txt', 'x', 'text/plain')).toThrow(
      /plain file name/,
    );
  });

  it('on a full disk keeps the last good checkpoint and lists only what was written', () => {
    const root = mkdtempSync(join(tmpdir(), 'tunelab-runs-'));
    const restore = useDurableFs(simulatedDisk(40_000));
    try {
      const writer = newRun(root);
      writer.writeArtifact(
        'checkpoint.safetensors',
        new Uint8Array(15_000).fill(1),
        'application/safetensors',
      );
      const path = join(writer.dir, 'artifacts', 'checkpoint.safetensors');
      // The second checkpoint needs 15,000 bytes more while the first still exists: it does not fit.
      expect(() =>
        writer.writeArtifact(
          'checkpoint.safetensors',
          new Uint8Array(25_000).fill(2),
          'application/safetensors',
        ),
      ).toThrow(`no space left on device: need 25,000 bytes for ${path}`);
      expect(readFileSync(path)).toEqual(Buffer.alloc(15_000, 1));
      expect(readdirSync(join(writer.dir, 'artifacts'))).toEqual(['checkpoint.safetensors']);
      // run.json (small) still fits: the failure can be recorded.
      writer.finish('failed', { error: { message: 'disk full' } });
      const run = readRun(writer.dir);
      expect(run.record.status).toBe('failed');
      expect(run.record.artifacts.map((a) => a.path)).toEqual(['artifacts/checkpoint.safetensors']);
    } finally {
      restore();
    }
  });

  it('refuses artifact names made of dots', () => {
    const root = mkdtempSync(join(tmpdir(), 'tunelab-runs-'));
    for (const name of ['.', '..'])
      expect(() => newRun(root).writeArtifact(name, 'x', 'text/plain')).toThrow(/plain file name/);
  });
});
