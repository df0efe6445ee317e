import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
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
    expect(errors.join('')).toMatch(new RegExp(`error: ${message}\n$`));
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

describe('an --out folder that cannot be written', () => {
  it('under a regular file: one line naming it, exit 2, nothing written', () => {
    const dir = temp('notdir');
    writeFileSync(join(dir, 'file'), 'x');
    const r = tunelab(['train', QUICKSTART, '--out', join(dir, 'file', 'runs')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `error: --out: ${join(dir, 'file', 'runs')}: ${join(dir, 'file')} is not a folder\n`,
    );
  });

  it.skipIf(!MOUNT)('on a read-only file system: exit 2 naming the folder', () => {
    const disk = mountTmpfs('1m', 'ro');
    try {
      const r = tunelab(['train', QUICKSTART, '--out', join(disk.dir, 'runs')]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`error: --out: ${join(disk.dir, 'runs')}: read-only file system\n`);
      const sweep = tunelab([
        'sweep',
        join(import.meta.dirname, '../../../examples/coursework-sweep.ts'),
        '--out',
        disk.dir,
      ]);
      expect(sweep.code).toBe(2);
      expect(sweep.stderr).toMatch(/^error: --out: .*: read-only file system\n$/);
    } finally {
      disk.unmount();
    }
  });
});

describe('datasets with missing files, bad CSV cells and unknown names (exit 2)', () => {
  /** A CIFAR-10 folder of 10 records per file, without `skip`. */
  const cifarFolder = (skip: string[]) => {
    const dir = temp('cifar');
    const files = [
      'data_batch_1',
      'data_batch_2',
      'data_batch_3',
      'data_batch_4',
      'data_batch_5',
      'test_batch',
    ];
    for (const f of files.filter((f) => !skip.includes(f))) {
      const bytes = new Uint8Array(10 * 3073);
      for (let r = 0; r < 10; r++) bytes[r * 3073] = r; // labels 0..9
      writeFileSync(join(dir, `${f}.bin`), bytes);
    }
    return dir;
  };
  const experiment = (dir: string, data: Record<string, unknown>) => {
    const file = join(dir, 'exp.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'partial',
        seed: 1,
        data,
        model: { name: 'linear' },
        optimizer: { name: 'sgd', lr: 0.01 },
        epochs: 1,
        batchSize: 10,
      }),
    );
    return file;
  };

  it('a CIFAR-10 folder without data_batch_4 is refused, naming it; --allow-partial trains on the rest and records it', () => {
    const data = cifarFolder(['data_batch_4']);
    const out = temp('partial-runs');
    const file = experiment(out, { dataset: data });
    const refused = tunelab(['train', file, '--out', out]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      `error: ${data}: incomplete CIFAR-10 folder: missing data_batch_4.bin. Add the missing files, or set data.allowPartial: true (--allow-partial) to use the files present\n`,
    );
    expect(filesBelow(out)).toEqual(['exp.json']);
    const info = tunelab(['data', 'info', data]);
    expect(info.code).toBe(2);
    expect(info.stderr).toContain('missing data_batch_4.bin');
    const partial = tunelab(['data', 'info', data, '--allow-partial', '--json']);
    expect(JSON.parse(partial.stdout)).toMatchObject({ missing: ['data_batch_4.bin'], count: 50 });
    const trained = tunelab(['train', file, '--out', out, '--allow-partial', '--json']);
    expect(trained.code, trained.stderr).toBe(0);
    const run = readRun(JSON.parse(trained.stdout).runDir);
    expect(run.record.data).toMatchObject({
      missing: ['data_batch_4.bin'],
      split: { sizes: [40, 5, 5] },
    });
    expect(run.record.config).toMatchObject({ data: { allowPartial: true } });
  });

  it('an IDX folder without train-labels is refused, naming it', () => {
    const data = temp('idx');
    for (const f of [
      'train-images-idx3-ubyte.gz',
      't10k-images-idx3-ubyte.gz',
      't10k-labels-idx1-ubyte.gz',
    ])
      writeFileSync(join(data, f), readFileSync(join(FASHION, f)));
    const r = tunelab(['data', 'info', data]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('missing train-labels-idx1-ubyte.gz');
  });

  it('CSV cells that Number() would take, and an empty label, are errors naming line, column and value', () => {
    const dir = temp('csv');
    const cases: Array<[string, string]> = [
      ['a,b,label\n1,2,x\n0x10,3,y\n', 'line 3, column "a": expected a decimal number, got "0x10"'],
      ['a,b,label\n1,2,x\n4,5,\n', 'line 3, column "label": empty label'],
      ['a,a,label\n1,2,x\n', 'line 1: column name "a" appears twice (columns 1 and 2)'],
    ];
    for (const [i, [text, message]] of cases.entries()) {
      const file = join(dir, `bad-${i}.csv`);
      writeFileSync(file, text);
      const r = tunelab(['data', 'info', file]);
      expect(r.code, message).toBe(2);
      expect(r.stderr).toBe(
        `error: ${file}: ${message}${message.endsWith('empty label') ? ', expected a class name or id' : ''}\n`,
      );
    }
  });

  it('an unknown dataset name names the file and data.dataset', () => {
    const dir = temp('unknown');
    const file = experiment(dir, { dataset: 'fashionmnist' });
    const r = tunelab(['train', file, '--out', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `error: ${file}: data.dataset: "fashionmnist" is neither a known dataset (fashion-mnist, mnist, cifar10) nor an existing file or folder\n`,
    );
  });
});

describe('bad arguments exit 2 with one line', () => {
  it('ui --port 99999', () => {
    const r = tunelab(['ui', '--port', '99999']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('expected a port from 0 to 65535, got "99999"');
  });

  it('train --resume <not a run>', () => {
    const r = tunelab(['train', '--resume', '/']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: --resume /: /: not a run directory (no run.json)\n');
  });

  it('ui --runs <a regular file>', () => {
    const file = join(temp('ui'), 'runs.txt');
    writeFileSync(file, 'x');
    const r = tunelab(['ui', '--runs', file, '--port', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`error: --runs ${file}: not a folder (expected the runs directory)\n`);
  });
});

describe('sweep resume counts what the run directories say', () => {
  it('a trial that finished just before the sweep was killed counts as finished, and is not trained again', () => {
    const dir = temp('sweep-count');
    const rows = Array.from({ length: 60 }, (_, i) => `${(i % 3) + Math.sin(i)},${i % 5},${i % 3}`);
    writeFileSync(join(dir, 'points.csv'), `x,y,label\n${rows.join('\n')}\n`);
    const file = join(dir, 'sweep.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'count',
        seed: 1,
        data: { dataset: join(dir, 'points.csv') },
        model: { name: 'linear' },
        optimizer: { name: 'sgd', lr: 0.1 },
        epochs: 1,
        batchSize: 10,
        sweep: { axes: { lr: [{ 'optimizer.lr': 0.1 }, { 'optimizer.lr': 0.2 }] }, parallel: 1 },
      }),
    );
    const first = tunelab(['sweep', file, '--out', dir, '--no-report', '--json']);
    expect(first.code, first.stderr).toBe(0);
    const { sweepDir } = JSON.parse(first.stdout);
    // As a SIGKILL between t02's worker ending and the sweep's bookkeeping leaves it.
    const statePath = join(sweepDir, 'sweep.json');
    const state = JSON.parse(readFileSync(statePath, 'utf8'));
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    state.status = 'running';
    state.writer.pid = dead;
    state.trials[1].status = 'running';
    writeFileSync(statePath, JSON.stringify(state));
    const again = tunelab(['sweep', file, '--out', dir, '--no-report']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(
      `resuming sweep ${sweepDir} (found interrupted: its writer (pid ${dead} on ${hostname()}) is gone): 2 of 2 trials finished, 1 was running`,
    );
    expect(again.stdout).not.toContain('start:');
    expect(JSON.parse(readFileSync(statePath, 'utf8'))).toMatchObject({
      status: 'completed',
      trials: [{ status: 'done' }, { status: 'done' }],
    });
  });
});
