import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { ArrayDataset } from '@tunelab/core';
import { parseCifarBatch } from '../cifar/cifar.js';
import { parseCsv } from '../csv/csv.js';
import { DataError } from '../errors.js';
import { type IdxArray, parseIdx } from '../idx/idx.js';
import { concatDatasets, mnistPart } from '../idx/mnist.js';
import { type DatasetFormat, KNOWN_DATASETS, type KnownDataset } from '../registry.js';
import { type DataSource, findFile, type LocateOptions, locateDataset } from './locate.js';

/**
 * Reads an IDX file, gunzipping it when its first bytes are the gzip magic number.
 * `readIdxFile('/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz').shape` is [10000].
 */
export function readIdxFile(path: string): IdxArray {
  const raw = readFileSync(path);
  let bytes: Uint8Array = raw;
  if (raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      bytes = gunzipSync(raw);
    } catch (error) {
      throw new DataError(
        `${path}: gzip data is corrupt or truncated (${(error as Error).message})`,
      );
    }
  }
  return parseIdx(bytes, path);
}

/** A dataset loaded from disk: its parts (uint8 images stay uint8), classes and origin. */
export interface LoadedDataset {
  /** Short name ('fashion-mnist'; the file name for a CSV). */
  readonly name: string;
  /** Display name ('Fashion-MNIST'). */
  readonly title: string;
  /** File format read: 'idx', 'cifar' or 'csv'. */
  readonly format: DatasetFormat | 'csv';
  /** How it was found: 'explicit', 'cache', 'system' or 'download'. */
  readonly source: DataSource;
  /** The folder (or CSV file) the data was read from. */
  readonly location: string;
  /** Official parts by name: `parts.train` and `parts.test` (a CSV has one part, 'all'). */
  readonly parts: Readonly<Record<string, ArrayDataset>>;
  /** Class names by label. */
  readonly classes: readonly string[];
  /**
   * Files of the official set that were absent, when a partial folder was opened on purpose
   * (`allowPartial`); empty otherwise. A run records them.
   */
  readonly missing: readonly string[];
}

/**
 * Locates a known dataset (see {@link locateDataset}) and loads its parts.
 * ```ts
 * const fashion = loadDataset('fashion-mnist'); // or { path: '/my/copy' }
 * fashion.parts.train.size; // 60,000; fashion.parts.test.size: 10,000
 * ```
 */
export function loadDataset(
  nameOrDataset: string | KnownDataset,
  options: LocateOptions = {},
): LoadedDataset {
  const located = locateDataset(nameOrDataset, options);
  const { dataset } = located;
  const parts: Record<string, ArrayDataset> = {};
  for (const [part, files] of Object.entries(located.files)) parts[part] = loadPart(dataset, files);
  return {
    name: dataset.name,
    title: dataset.title,
    format: dataset.format,
    source: located.source,
    location: located.dir,
    parts,
    classes: dataset.classes,
    missing: [],
  };
}

function loadPart(dataset: KnownDataset, files: readonly string[]): ArrayDataset {
  const numClasses = dataset.classes.length;
  if (dataset.format === 'idx') {
    const [images, labels] = files as [string, string];
    return mnistPart(
      {
        images: readIdxFile(images),
        labels: readIdxFile(labels),
        imagesFile: images,
        labelsFile: labels,
      },
      numClasses,
    );
  }
  const batches = files.map((file) =>
    parseCifarBatch(readFileSync(file), file, {
      numClasses,
      ...(dataset.recordsPerFile ? { records: dataset.recordsPerFile } : {}),
    }),
  );
  const pieces = batches.map(
    (b) =>
      new ArrayDataset({
        x: b.images,
        y: b.labels,
        inputShape: [32, 32, 3],
        numClasses,
        scale: 1 / 255,
      }),
  );
  return pieces.length === 1 ? pieces[0]! : concatDatasets(pieces);
}

/** Options of {@link openDataset}. */
export interface OpenOptions extends LocateOptions {
  /** Label column of a CSV file. Default 'label'. */
  label?: string;
  /**
   * Accept a dataset folder missing some of its official files and load the files present
   * (the missing ones are listed in `missing`). Default false: a missing file is an error
   * naming every missing file.
   */
  allowPartial?: boolean;
}

/**
 * Opens a dataset by known name (fashion-mnist, mnist, cifar10) or by path: a folder of
 * MNIST-format IDX files (train-*, t10k-*), a folder of CIFAR-10 batch files
 * (data_batch_N.bin, test_batch.bin), or a .csv file. A folder must hold every file of the
 * format (an error names each missing one) unless `allowPartial`; by path, CIFAR-10 files may
 * hold any number of records (by name: 10,000 each).
 * `openDataset('fashion-mnist')` loads the known dataset; `openDataset('pets.csv')` has one part,
 * 'all'.
 */
export function openDataset(nameOrPath: string, options: OpenOptions = {}): LoadedDataset {
  const named = KNOWN_DATASETS[nameOrPath];
  if (named) {
    if (!(options.allowPartial && options.path)) return loadDataset(nameOrPath, options);
    return loadPresent(named, resolve(options.path), named.title, options);
  }
  const path = resolve(nameOrPath);
  if (!existsSync(path)) {
    throw new DataError(
      `"${nameOrPath}" is neither a known dataset (${Object.keys(KNOWN_DATASETS).join(', ')}) nor an existing file or folder`,
    );
  }
  if (statSync(path).isFile()) {
    if (extname(path).toLowerCase() !== '.csv')
      throw new DataError(`${path}: expected a .csv file or a dataset folder`);
    const csv = parseCsv(readFileSync(path, 'utf8'), path, { label: options.label ?? 'label' });
    return {
      name: basename(path, extname(path)),
      title: basename(path),
      format: 'csv',
      source: 'explicit',
      location: path,
      parts: { all: csv.dataset },
      classes: csv.classes,
      missing: [],
    };
  }
  // A folder in an official format may hold a subset (user-made files): no fixed record count.
  const { recordsPerFile: _fixedCount, ...known } = detectFolder(path);
  const label = `${known.title} folder`;
  return loadPresent({ ...known, name: basename(path), title: path }, path, label, options);
}

/**
 * Loads the files of `dataset` found in `dir`. Every missing file is named in one error unless
 * `allowPartial`; then each part loads the files it has (an IDX part needs both of its files)
 * and `missing` lists the rest.
 */
function loadPresent(
  dataset: KnownDataset,
  dir: string,
  label: string,
  options: OpenOptions,
): LoadedDataset {
  const missing = Object.values(dataset.parts)
    .flat()
    .filter((f) => !findFile(dir, f));
  if (missing.length > 0 && !options.allowPartial) {
    throw new DataError(
      `${dir}: incomplete ${label}: missing ${missing.join(', ')}. ` +
        'Add the missing files, or set data.allowPartial: true (--allow-partial) to use the files present',
    );
  }
  const parts: Record<string, readonly string[]> = {};
  for (const [part, files] of Object.entries(dataset.parts)) {
    const present = files.filter((f) => findFile(dir, f));
    const usable = dataset.format === 'idx' ? present.length === files.length : present.length > 0;
    if (usable) parts[part] = present;
  }
  if (Object.keys(parts).length === 0)
    throw new DataError(`${dir}: no usable ${label} part: missing ${missing.join(', ')}`);
  const loaded = loadDataset({ ...dataset, parts }, { path: dir });
  return { ...loaded, missing };
}

function detectFolder(dir: string): KnownDataset {
  const names = readdirSync(dir);
  if (names.some((n) => /^(data_batch_\d+|test_batch)\.bin$/.test(n)))
    return KNOWN_DATASETS.cifar10!;
  if (names.some((n) => /-idx[13]-ubyte(\.gz)?$/.test(n))) {
    const fashion = /fashion/i.test(dir);
    return fashion ? KNOWN_DATASETS['fashion-mnist']! : KNOWN_DATASETS.mnist!;
  }
  throw new DataError(
    `${dir}: no dataset files found (expected MNIST-format *-idx3-ubyte[.gz] files or CIFAR-10 data_batch_N.bin / test_batch.bin)`,
  );
}
