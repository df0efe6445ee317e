import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { readRun, simulatedDisk, useDurableFs } from '@tunelab/core/node';
import { describe, expect, it, vi } from 'vitest';
import { main } from './cli.js';
import {
  BIN,
  canMount,
  env,
  FASHION,
  filesBelow,
  mountTmpfs,
  QUICKSTART,
  readSafetensors,
  resizeTmpfs,
  temp,
  tensorValues,
  tunelab,
} from './testing/cli.js';

// Conditions made for real: a small disk (a tmpfs, or core's simulated disk in this process
// where mounting is not permitted), a loss that overflows, Ctrl-C in the middle of an epoch,
// a reader that closes the pipe. Each test checks the files on disk afterwards.

const MOUNT = canMount();
const noStackTrace = (stderr: string) => expect(stderr).not.toMatch(/\n\s+at .*:\d+:\d+/);
const runDirOf = (output: string) => output.match(/^run: (.*)$/m)![1]!;

describe.skipIf(!existsSync(FASHION))('a disk that fills up', () => {
  const args = ['train', QUICKSTART, '--epochs', '2', '--train-limit', '2000', '--workers', '0'];

  it.skipIf(!MOUNT)(
    'on a 2 MiB tmpfs: fails naming the file, keeps the last good checkpoint, resumes to the same end',
    () => {
      const full = tunelab([...args, '--out', temp('full'), '--json']);
      expect(full.code, full.stderr).toBe(0);
      const disk = mountTmpfs('2m');
      try {
        const r = tunelab([...args, '--out', disk.dir]);
        expect(r.code).toBe(1);
        noStackTrace(r.stderr);
        const dir = runDirOf(r.stdout);
        const checkpoint = join(dir, 'artifacts', 'checkpoint.safetensors');
        // One line naming the file and the bytes it needed.
        expect(r.stderr.trim().split('\n').at(-1)).toMatch(
          new RegExp(`^error: no space left on device: need [\\d,]{9} bytes for ${checkpoint}$`),
        );
        const run = readRun(dir);
        expect(run.record.status).toBe('failed');
        expect(run.record.error!.message).toMatch(/^no space left on device: need/);
        expect(run.record.progress.epoch).toBe(1);
        // The epoch-1 checkpoint is whole (every tensor's offsets check out), and nothing else is left.
        expect(readSafetensors(checkpoint).epoch).toBe('1');
        expect(filesBelow(dir)).toEqual([
          'artifacts/checkpoint.safetensors',
          'metrics.jsonl',
          'run.json',
        ]);
        // With room again, the run resumes from that checkpoint and ends where an uninterrupted one does.
        resizeTmpfs(disk.dir, '16m');
        const resumed = tunelab(['train', '--resume', dir, '--json']);
        expect(resumed.code, resumed.stderr).toBe(0);
        expect(resumed.stderr).toMatch(/resuming .* after epoch 1 \(found failed\)/);
        expect(JSON.parse(resumed.stdout).final).toEqual(JSON.parse(full.stdout).final);
      } finally {
        disk.unmount();
      }
    },
  );

  it('on a simulated 1.7 MB disk (no mount rights needed): the same, in this process', async () => {
    const out = temp('simulated');
    const restore = useDurableFs(simulatedDisk(1_700_000));
    const errors: string[] = [];
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      errors.push(String(chunk));
      return true;
    });
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    let code: number;
    try {
      code = await main(['node', 'tunelab', ...args, '--out', out]);
    } finally {
      stderr.mockRestore();
      stdout.mockRestore();
      restore();
    }
    expect(code).toBe(1);
    const [dir] = filesBelow(out)
      .filter((f) => f.endsWith('run.json'))
      .map((f) => join(out, f, '..'));
    const checkpoint = join(dir!, 'artifacts', 'checkpoint.safetensors');
    const message = `no space left on device: need ${'[\\d,]{9}'} bytes for ${checkpoint}`;
    // picocolors colours stderr where $CI is set, as on the CI machine: compare the text.
    expect(stripVTControlCharacters(errors.join(''))).toMatch(new RegExp(`error: ${message}\n$`));
    const run = readRun(dir!);
    expect(run.record.status).toBe('failed');
    expect(run.record.error!.message).toMatch(new RegExp(`^${message}$`));
    expect(readSafetensors(checkpoint).epoch).toBe('1');
    expect(filesBelow(dir!)).toEqual([
      'artifacts/checkpoint.safetensors',
      'metrics.jsonl',
      'run.json',
    ]);
  });
});

describe.skipIf(!existsSync(FASHION))('a loss that becomes NaN', () => {
  /** cnn4 with momentum at lr 1e6: one update per epoch (200 images, batch 200); it overflows in epoch 2. */
  const diverging = (dir: string, extra: Record<string, unknown> = {}) => {
    const file = join(dir, 'diverge.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'diverge',
        seed: 1,
        data: { dataset: 'fashion-mnist', path: FASHION },
        model: { name: 'cnn4' },
        optimizer: { name: 'momentum', lr: 1e6 },
        epochs: 5,
        batchSize: 200,
        trainLimit: 200,
        ...extra,
      }),
    );
    return file;
  };

  it('stops the run failed, keeps the last finite epoch as its weights, and exits 1', () => {
    const dir = temp('nan');
    const r = tunelab(['train', diverging(dir), '--out', dir, '--workers', '0']);
    expect(r.code).toBe(1);
    noStackTrace(r.stderr);
    const line = r.stderr.trim().split('\n').at(-1)!;
    expect(line).toMatch(
      /^error: (training|validation) loss became (NaN|-?Infinity) .*step 2\b.* with lr 1000000; /,
    );
    const runDir = runDirOf(r.stdout);
    const run = readRun(runDir);
    expect(run.record.status).toBe('failed');
    expect(`error: ${run.record.error!.message}`).toBe(line);
    expect(run.record.progress.epoch).toBe(1);
    expect(run.metrics.map((m) => m.epoch)).toEqual([1]);
    // The weights are epoch 1's, all finite, and evaluate to the record's final metrics.
    const weights = join(runDir, 'artifacts', 'model.safetensors');
    expect(readSafetensors(weights).epoch).toBe('1');
    expect(tensorValues(weights).every(Number.isFinite)).toBe(true);
    const evaluated = tunelab(['eval', runDir, '--json']);
    expect(evaluated.code, evaluated.stderr).toBe(0);
    expect(JSON.parse(evaluated.stdout).metrics.valAccuracy).toBe(run.record.final!.valAccuracy);
  });

  it('a sweep records the diverged trial as failed and finishes the others', () => {
    const dir = temp('nan-sweep');
    const file = diverging(dir, {
      epochs: 2,
      sweep: { axes: { lr: [{ 'optimizer.lr': 0.01 }, { 'optimizer.lr': 1e6 }] }, parallel: 2 },
    });
    const r = tunelab(['sweep', file, '--out', dir, '--no-report', '--json']);
    expect(r.code, r.stderr).toBe(1);
    const result = JSON.parse(r.stdout);
    expect(result.status).toBe('failed');
    const [ok, bad] = result.trials;
    expect(ok).toMatchObject({ status: 'done' });
    expect(bad.status).toBe('failed');
    expect(bad.error).toMatch(/loss became (NaN|-?Infinity) .* with lr 1000000/);
    expect(readRun(join(result.sweepDir, bad.id)).record.status).toBe('failed');
    expect(readRun(join(result.sweepDir, ok.id)).record.status).toBe('completed');
  });
});

describe.skipIf(!existsSync(FASHION))('Ctrl-C in the middle of an epoch', () => {
  it('saves the weights the record describes: tunelab eval gives run.json final', async () => {
    const out = temp('sigint');
    const child = spawn(
      process.execPath,
      [
        BIN,
        'train',
        QUICKSTART,
        '--epochs',
        '3',
        '--train-limit',
        '20000',
        '--out',
        out,
        '--workers',
        '0',
      ],
      { env },
    );
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      // Well into epoch 2 (about 1 s per epoch here): the weights in memory are past epoch 1.
      if (stdout.includes('epoch 1/3') && !child.killed)
        setTimeout(() => child.kill('SIGINT'), 300);
    });
    const code = await new Promise((done) => child.on('close', done));
    expect(code).toBe(130);
    const runDir = runDirOf(stdout);
    const run = readRun(runDir);
    expect(run.record.status).toBe('interrupted');
    const epoch = run.record.progress.epoch;
    expect(readSafetensors(join(runDir, 'artifacts', 'model.safetensors')).epoch).toBe(
      String(epoch),
    );
    const evaluated = tunelab(['eval', runDir, '--json']);
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const metrics = JSON.parse(evaluated.stdout).metrics;
    expect(metrics.valAccuracy).toBe(run.record.final!.valAccuracy);
    expect(metrics.valLoss).toBeCloseTo(run.record.final!.valLoss!, 5);
  });
});

describe.skipIf(!existsSync(FASHION))('a reader that closes the pipe (| head)', () => {
  it('train goes on to a completed run, with no stack trace', async () => {
    const out = temp('epipe');
    const child = spawn(
      process.execPath,
      [BIN, 'train', QUICKSTART, '--epochs', '2', '--train-limit', '3000', '--out', out],
      { env },
    );
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      // `| head -3`: three lines read, then the reading end is closed.
      if (stdout.split('\n').length > 3) child.stdout.destroy();
    });
    const code = await new Promise((done) => child.on('close', done));
    expect(code).toBe(0);
    noStackTrace(stderr);
    expect(stderr).not.toContain('EPIPE');
    const runDir = runDirOf(stdout);
    const run = readRun(runDir);
    expect(run.record.status).toBe('completed');
    expect(run.record.progress.epoch).toBe(2);
    expect(readSafetensors(join(runDir, 'artifacts', 'model.safetensors')).epoch).toBe('2');
  });

  it('data info with its output closed before it writes exits 0 quietly', async () => {
    const child = spawn(process.execPath, [BIN, 'data', 'info', 'fashion-mnist'], { env });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    const code = await new Promise((done) => child.on('close', done));
    expect(code).toBe(0);
    expect(stderr).toBe('');
  });
});
