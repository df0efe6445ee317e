import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodeIdx } from '../idx/idx.js';
import { loadDataset } from './load.js';
import { DatasetNotFoundError, dataCacheDir, locateDataset } from './locate.js';

/** Writes a tiny MNIST-format dataset (n images of 2x2 per part) into `dir`. */
function writeTinyMnist(
  dir: string,
  options: { gzip?: boolean; train?: number; labels?: number[] } = {},
) {
  mkdirSync(dir, { recursive: true });
  const write = (name: string, bytes: Uint8Array) =>
    options.gzip === false
      ? writeFileSync(join(dir, name), bytes)
      : writeFileSync(join(dir, `${name}.gz`), gzipSync(bytes));
  const part = (prefix: string, n: number, labels?: number[]) => {
    write(
      `${prefix}-images-idx3-ubyte`,
      encodeIdx({
        dtype: 'uint8',
        shape: [n, 2, 2],
        data: Uint8Array.from({ length: n * 4 }, (_, i) => i % 256),
      }),
    );
    write(
      `${prefix}-labels-idx1-ubyte`,
      encodeIdx({
        dtype: 'uint8',
        shape: [labels?.length ?? n],
        data: Uint8Array.from(labels ?? Array.from({ length: n }, (_, i) => i % 10)),
      }),
    );
  };
  part('train', options.train ?? 20, options.labels);
  part('t10k', 10);
}

describe('locating and loading datasets', () => {
  it('loads an explicit folder of gzipped or plain IDX files', () => {
    for (const gzip of [true, false]) {
      const dir = mkdtempSync(join(tmpdir(), 'tunelab-data-'));
      writeTinyMnist(dir, { gzip });
      const loaded = loadDataset('mnist', { path: dir });
      expect(loaded.source).toBe('explicit');
      expect(loaded.parts.train!.size).toBe(20);
      expect(loaded.parts.test!.size).toBe(10);
      expect(loaded.parts.train!.inputShape).toEqual([2, 2, 1]);
      expect(loaded.parts.train!.classCounts()).toEqual([2, 2, 2, 2, 2, 2, 2, 2, 2, 2]);
    }
  });

  it('prefers the cache folder, then system copies', () => {
    const cache = mkdtempSync(join(tmpdir(), 'tunelab-cache-'));
    const system = mkdtempSync(join(tmpdir(), 'tunelab-system-'));
    writeTinyMnist(system);
    const env = { TUNELAB_DATA_DIR: cache };
    expect(dataCacheDir(env)).toBe(resolve(cache));
    expect(dataCacheDir({ XDG_CACHE_HOME: '/x/cache' })).toBe('/x/cache/tunelab/datasets');
    expect(locateDataset('mnist', { env, systemDirs: [system] }).source).toBe('system');
    writeTinyMnist(join(cache, 'mnist'));
    const found = locateDataset('mnist', { env, systemDirs: [system] });
    expect(found.source).toBe('cache');
    expect(found.dir).toBe(join(resolve(cache), 'mnist'));
  });

  it('says where it looked and what to do when no copy exists', () => {
    const cache = mkdtempSync(join(tmpdir(), 'tunelab-cache-'));
    let message = '';
    try {
      locateDataset('fashion-mnist', {
        env: { TUNELAB_DATA_DIR: cache },
        systemDirs: ['/nonexistent/fashion'],
      });
    } catch (error) {
      expect(error).toBeInstanceOf(DatasetNotFoundError);
      message = (error as Error).message;
    }
    expect(message).toContain('Fashion-MNIST not found. Looked in:');
    expect(message).toContain(
      `${join(resolve(cache), 'fashion-mnist')} (cache; set TUNELAB_DATA_DIR to move it): folder does not exist`,
    );
    expect(message).toContain('/nonexistent/fashion (system copy): folder does not exist');
    expect(message).toContain(
      'train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz',
    );
    expect(message).toContain('apt-get install dataset-fashion-mnist');
  });

  it('names the missing files of a partial folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tunelab-data-'));
    writeTinyMnist(dir);
    expect(() => locateDataset('mnist', { path: join(dir, 'nope') })).toThrow(
      /the path you gave\): folder does not exist/,
    );
    const partial = mkdtempSync(join(tmpdir(), 'tunelab-data-'));
    writeTinyMnist(partial);
    rmSync(join(partial, 't10k-labels-idx1-ubyte.gz'));
    expect(() => locateDataset('mnist', { path: partial })).toThrow(
      /missing t10k-labels-idx1-ubyte\.gz/,
    );
    expect(locateDataset('mnist', { path: partial, parts: ['train'] }).files.train).toBeDefined();
  });

  it('rejects labels out of range and image/label count mismatches, naming the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tunelab-data-'));
    writeTinyMnist(dir, { train: 3, labels: [1, 12, 3] });
    expect(() => loadDataset('mnist', { path: dir })).toThrow(
      /train-labels-idx1-ubyte\.gz: label 12 of item 1 \(byte 9\) is outside 0\.\.9/,
    );
    const dir2 = mkdtempSync(join(tmpdir(), 'tunelab-data-'));
    writeTinyMnist(dir2, { train: 3, labels: [1, 2] });
    expect(() => loadDataset('mnist', { path: dir2 })).toThrow(
      /train-labels-idx1-ubyte\.gz: has 2 labels but .*train-images-idx3-ubyte\.gz has 3 images/,
    );
  });

  it('reports corrupt gzip data with the file name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tunelab-data-'));
    writeTinyMnist(dir);
    const bytes = gzipSync(
      encodeIdx({ dtype: 'uint8', shape: [20, 2, 2], data: new Uint8Array(80) }),
    );
    writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), bytes.subarray(0, bytes.length - 10));
    expect(() => loadDataset('mnist', { path: dir })).toThrow(
      /train-images-idx3-ubyte\.gz: gzip data is corrupt or truncated/,
    );
  });

  it('rejects an unknown dataset name', () => {
    expect(() => locateDataset('imagenet')).toThrow(
      'Unknown dataset "imagenet": expected one of fashion-mnist, mnist, cifar10, or a path to a dataset folder or CSV file',
    );
  });
});
