import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '@tunelab/core';
import { describe, expect, it } from 'vitest';
import { encodeCifarBatch } from '../cifar/cifar.js';
import { DataError } from '../errors.js';
import { encodeIdx } from '../idx/idx.js';
import { loadDataset, openDataset } from './load.js';

/** Writes CIFAR-10 batch files of `perFile` random records in the official format. */
function writeCifar(
  dir: string,
  perFile: number,
  files = [
    'data_batch_1.bin',
    'data_batch_2.bin',
    'data_batch_3.bin',
    'data_batch_4.bin',
    'data_batch_5.bin',
    'test_batch.bin',
  ],
) {
  mkdirSync(dir, { recursive: true });
  const rng = Rng.fromSeed(1);
  const written: Array<{ images: Uint8Array; labels: Uint8Array }> = [];
  for (const file of files) {
    const images = Uint8Array.from({ length: perFile * 3072 }, () => rng.int(256));
    const labels = Uint8Array.from({ length: perFile }, (_, i) => i % 10);
    writeFileSync(join(dir, file), encodeCifarBatch(images, labels));
    written.push({ images, labels });
  }
  return written;
}

describe('opening datasets by path', () => {
  it('loads a folder of CIFAR-10 batches: train = five files in order, test = one, images HWC uint8', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tunelab-cifar-'));
    const written = writeCifar(dir, 20);
    const opened = openDataset(dir);
    expect(opened.format).toBe('cifar10');
    expect(opened.parts.train!.size).toBe(100);
    expect(opened.parts.test!.size).toBe(20);
    expect(opened.parts.train!.inputShape).toEqual([32, 32, 3]);
    const raw = opened.parts.train!.rawExamples();
    expect(raw.x).toBeInstanceOf(Uint8Array);
    // Record 0 of data_batch_2 is train example 20.
    expect(Array.from(raw.x.subarray(20 * 3072, 20 * 3072 + 6))).toEqual(
      Array.from(written[1]!.images.subarray(0, 6)),
    );
    expect(opened.classes[0]).toBe('airplane');
  });

  it('insists on 10,000 records per file when the folder is given for the known name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tunelab-cifar-'));
    writeCifar(dir, 3);
    expect(() => loadDataset('cifar10', { path: dir })).toThrow(
      /data_batch_1\.bin: holds 3 records \(9219 bytes\), expected 10000/,
    );
  });

  it('names every missing file of a folder, and loads the files present only when asked', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tunelab-cifar-'));
    writeCifar(dir, 2, [
      'data_batch_1.bin',
      'data_batch_2.bin',
      'data_batch_3.bin',
      'data_batch_5.bin',
      'test_batch.bin',
    ]);
    expect(() => openDataset(dir)).toThrow(DataError);
    expect(() => openDataset(dir)).toThrow(
      `${dir}: incomplete CIFAR-10 folder: missing data_batch_4.bin. Add the missing files, or set data.allowPartial: true (--allow-partial) to use the files present`,
    );
    const partial = openDataset(dir, { allowPartial: true });
    expect(partial.missing).toEqual(['data_batch_4.bin']);
    expect(partial.parts.train!.size).toBe(8); // four files of 2 records
    expect(partial.parts.test!.size).toBe(2);
    // The known name read from a folder: the same check, with its fixed record count.
    expect(() => openDataset('cifar10', { path: dir })).toThrow(/missing data_batch_4\.bin/);
    // Nothing usable even when partial sets are allowed.
    const empty = mkdtempSync(join(tmpdir(), 'tunelab-cifar-'));
    writeFileSync(join(empty, 'data_batch_9.bin'), new Uint8Array(3073));
    expect(() => openDataset(empty, { allowPartial: true })).toThrow(
      /no usable CIFAR-10 folder part: missing data_batch_1\.bin, .*test_batch\.bin/,
    );
  });

  it('names a missing IDX labels file instead of training on the test part alone', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tunelab-idx-'));
    const images = encodeIdx({ dtype: 'uint8', shape: [3, 28, 28], data: new Uint8Array(3 * 784) });
    const labels = encodeIdx({ dtype: 'uint8', shape: [3], data: Uint8Array.from([0, 1, 2]) });
    writeFileSync(join(dir, 'train-images-idx3-ubyte'), images);
    writeFileSync(join(dir, 't10k-images-idx3-ubyte'), images);
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), labels);
    expect(() => openDataset(dir)).toThrow(
      `${dir}: incomplete MNIST folder: missing train-labels-idx1-ubyte.gz. Add the missing files`,
    );
    const partial = openDataset(dir, { allowPartial: true });
    expect(Object.keys(partial.parts)).toEqual(['test']);
    expect(partial.missing).toEqual(['train-labels-idx1-ubyte.gz']);
  });

  it('opens a CSV file as one part', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tunelab-csv-'));
    const file = join(dir, 'points.csv');
    writeFileSync(file, 'x,y,class\n0,1,a\n1,0,b\n');
    const opened = openDataset(file, { label: 'class' });
    expect(opened.format).toBe('csv');
    expect(opened.parts.all!.size).toBe(2);
    expect(opened.classes).toEqual(['a', 'b']);
  });

  it('explains a path that is nothing it can read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tunelab-empty-'));
    expect(() => openDataset(dir)).toThrow(
      /no dataset files found \(expected MNIST-format \*-idx3-ubyte\[\.gz\] files or CIFAR-10/,
    );
    expect(() => openDataset(join(dir, 'nope'))).toThrow(
      /is neither a known dataset \(fashion-mnist, mnist, cifar10\) nor an existing file or folder/,
    );
    writeFileSync(join(dir, 'data.txt'), 'x');
    expect(() => openDataset(join(dir, 'data.txt'))).toThrow(
      /expected a \.csv file or a dataset folder/,
    );
  });
});
