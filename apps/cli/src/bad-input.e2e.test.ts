import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { readRun } from '@tunelab/core/node';
import { describe, expect, it } from 'vitest';
import {
  canMount,
  FASHION,
  filesBelow,
  mountTmpfs,
  QUICKSTART,
  temp,
  tunelab,
} from './testing/cli.js';

// Bad input exits 2 with one line naming the file, field or option, and writes nothing:
// folders that cannot be written, dataset folders missing files, CSV cells Number() would
// take, unknown dataset names, bad arguments; and a sweep resumed after a kill counts truly.

const MOUNT = canMount();

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
