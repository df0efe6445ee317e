import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { splitByRatios } from '@tunelab/datasets';
import { describe, expect, it } from 'vitest';

const BIN = resolve(import.meta.dirname, '../../dist/bin.js');
const FASHION = process.env.FASHION_MNIST_DIR ?? '/usr/share/datasets/fashion-mnist';

function tunelab(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('tunelab data', () => {
  it('lists its subcommands', () => {
    const help = tunelab(['data', '--help']);
    expect(help.code).toBe(0);
    for (const sub of [
      'info [options] <dataset>',
      'fetch [options] <dataset>',
      'split [options] <dataset>',
    ])
      expect(help.stdout).toContain(sub);
  });

  it.skipIf(!existsSync(FASHION))('info describes real Fashion-MNIST as JSON', () => {
    const r = tunelab(['data', 'info', 'fashion-mnist', '--data', FASHION, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const info = JSON.parse(r.stdout);
    expect(info.name).toBe('fashion-mnist');
    expect(info.source).toBe('explicit');
    expect(
      info.parts.map((p: { name: string; count: number; shape: number[] }) => [
        p.name,
        p.count,
        p.shape,
      ]),
    ).toEqual([
      ['train', 60_000, [28, 28, 1]],
      ['test', 10_000, [28, 28, 1]],
    ]);
    expect(info.classes).toHaveLength(10);
    expect(info.classCounts).toEqual(new Array(10).fill(7000));
  });

  it.skipIf(!existsSync(FASHION))(
    'split prints the sizes and the fingerprint of the same split train uses',
    () => {
      const r = tunelab([
        'data',
        'split',
        'fashion-mnist',
        '--data',
        FASHION,
        '--ratios',
        '0.8,0.1,0.1',
        '--seed',
        '42',
        '--json',
      ]);
      expect(r.code, r.stderr).toBe(0);
      const split = JSON.parse(r.stdout);
      expect(split.sizes).toEqual([56_000, 7_000, 7_000]);
      expect(split.fingerprint).toBe(splitByRatios(70_000, { seed: 42 }).fingerprint);
      const other = JSON.parse(
        tunelab(['data', 'split', 'fashion-mnist', '--data', FASHION, '--seed', '43', '--json'])
          .stdout,
      );
      expect(other.fingerprint).not.toBe(split.fingerprint);
      expect(tunelab(['data', 'split', 'fashion-mnist', '--ratios', '0.8,0.3']).code).toBe(2);
    },
  );

  it.skipIf(!existsSync(FASHION))(
    'exits 2 (bad input) with the file and the reason on stderr for a corrupt file',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'tunelab-bad-'));
      for (const f of [
        'train-images-idx3-ubyte.gz',
        'train-labels-idx1-ubyte.gz',
        't10k-images-idx3-ubyte.gz',
        't10k-labels-idx1-ubyte.gz',
      ]) {
        writeFileSync(join(dir, f), readFileSync(join(FASHION, f)));
      }
      const labels = readFileSync(join(FASHION, 't10k-labels-idx1-ubyte.gz'));
      writeFileSync(
        join(dir, 't10k-labels-idx1-ubyte.gz'),
        labels.subarray(0, labels.length - 100),
      );
      const r = tunelab(['data', 'info', dir]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(
        `${join(dir, 't10k-labels-idx1-ubyte.gz')}: gzip data is corrupt or truncated`,
      );
    },
  );

  it('fetch without network explains where to put the files, and exits 1', () => {
    const cache = mkdtempSync(join(tmpdir(), 'tunelab-cache-'));
    const r = tunelab(['data', 'fetch', 'mnist'], { TUNELAB_DATA_DIR: cache });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Could not download train-images-idx3-ubyte.gz');
    expect(r.stderr).toContain(
      `To set up MNIST without this download, put train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz into ${join(cache, 'mnist')}`,
    );
  }, 60_000);

  it.skipIf(!existsSync(FASHION))('fetch leaves an available copy alone', () => {
    const r = tunelab(['data', 'fetch', 'fashion-mnist', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ name: 'fashion-mnist', downloaded: [] });
  });
});
