import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { DataError } from '../errors.js';
import { type KnownDataset, knownDataset } from '../registry.js';

/**
 * Environment variable naming the dataset cache folder (one sub-folder per dataset).
 * `TUNELAB_DATA_DIR=/data` puts MNIST in /data/mnist.
 */
export const DATA_DIR_ENV_VAR = 'TUNELAB_DATA_DIR';

/** Where a dataset was found: a path the user gave, the user's cache, a system copy, or just downloaded. */
export type DataSource = 'explicit' | 'cache' | 'system' | 'download';

/** Where {@link locateDataset} found a dataset, and its files. */
export interface LocatedDataset {
  /** The dataset found. */
  readonly dataset: KnownDataset;
  /** The folder holding its files. */
  readonly dir: string;
  /** How it was found: 'explicit', 'cache' or 'system'. */
  readonly source: DataSource;
  /** Part name -> absolute paths of its files (gzipped or plain for IDX). */
  readonly files: Readonly<Record<string, readonly string[]>>;
}

/** Options of {@link locateDataset}. */
export interface LocateOptions {
  /** A folder the user named; when given, nothing else is searched. */
  path?: string | undefined;
  /** Environment to read TUNELAB_DATA_DIR / XDG_CACHE_HOME from. Default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Overrides the dataset's system folders (tests). */
  systemDirs?: readonly string[];
  /** Parts that must be present. Default: every official part. */
  parts?: readonly string[];
}

/**
 * No copy of the dataset was found; the message lists where we looked and how to fix it.
 * e.g. "CIFAR-10 not found. Looked in: /home/ada/.cache/tunelab/datasets/cifar10 (cache; set
 * TUNELAB_DATA_DIR to move it): folder does not exist ... To fix: ...".
 */
export class DatasetNotFoundError extends DataError {
  constructor(message: string) {
    super(message);
    this.name = 'DatasetNotFoundError';
  }
}

/**
 * The cache folder for datasets: $TUNELAB_DATA_DIR, else $XDG_CACHE_HOME/tunelab/datasets,
 * else ~/.cache/tunelab/datasets.
 * `dataCacheDir({ XDG_CACHE_HOME: '/home/ada/.cache' })` is '/home/ada/.cache/tunelab/datasets'.
 */
export function dataCacheDir(
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  if (env[DATA_DIR_ENV_VAR]) return resolve(env[DATA_DIR_ENV_VAR]!);
  const cacheHome = env.XDG_CACHE_HOME ? resolve(env.XDG_CACHE_HOME) : join(homedir(), '.cache');
  return join(cacheHome, 'tunelab', 'datasets');
}

/**
 * The folder a dataset occupies in the cache.
 * `cachedDatasetDir(knownDataset('mnist'), { TUNELAB_DATA_DIR: '/data' })` is '/data/mnist'.
 */
export function cachedDatasetDir(
  dataset: KnownDataset,
  env?: Readonly<Record<string, string | undefined>>,
): string {
  return join(dataCacheDir(env), dataset.name);
}

/**
 * Every file of `parts` (all official parts by default).
 * `requiredFiles(knownDataset('mnist'))` is ['train-images-idx3-ubyte.gz',
 * 'train-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'].
 */
export function requiredFiles(
  dataset: KnownDataset,
  parts: readonly string[] = Object.keys(dataset.parts),
): string[] {
  return parts.flatMap((p) => {
    const files = dataset.parts[p];
    if (!files)
      throw new Error(
        `${dataset.title} has no part "${p}" (parts: ${Object.keys(dataset.parts).join(', ')})`,
      );
    return [...files];
  });
}

/**
 * Finds a dataset's files: the explicit path if given (and only it), else the cache folder,
 * else the known system copies. IDX files may be gzipped (name.gz) or plain (name).
 * On Debian with dataset-fashion-mnist installed, `locateDataset('fashion-mnist')` is
 * `{ source: 'system', dir: '/usr/share/datasets/fashion-mnist', files: { train, test } }`.
 */
export function locateDataset(
  nameOrDataset: string | KnownDataset,
  options: LocateOptions = {},
): LocatedDataset {
  const dataset = typeof nameOrDataset === 'string' ? knownDataset(nameOrDataset) : nameOrDataset;
  const parts = options.parts ?? Object.keys(dataset.parts);
  const required = requiredFiles(dataset, parts);
  const candidates: Array<{ dir: string; source: DataSource; note: string }> = options.path
    ? [{ dir: resolve(options.path), source: 'explicit', note: 'the path you gave' }]
    : [
        {
          dir: cachedDatasetDir(dataset, options.env),
          source: 'cache',
          note: `cache; set ${DATA_DIR_ENV_VAR} to move it`,
        },
        ...(options.systemDirs ?? dataset.systemDirs).map((dir) => ({
          dir,
          source: 'system' as const,
          note: 'system copy',
        })),
      ];

  const looked: string[] = [];
  for (const candidate of candidates) {
    const missing = required.filter((file) => !findFile(candidate.dir, file));
    if (missing.length === 0) {
      const files: Record<string, string[]> = {};
      for (const p of parts) files[p] = dataset.parts[p]!.map((f) => findFile(candidate.dir, f)!);
      return { dataset, dir: candidate.dir, source: candidate.source, files };
    }
    const state = existsSync(candidate.dir)
      ? `missing ${missing.join(', ')}`
      : 'folder does not exist';
    looked.push(`  ${candidate.dir} (${candidate.note}): ${state}`);
  }
  const where = options.path ? resolve(options.path) : cachedDatasetDir(dataset, options.env);
  const how =
    dataset.download.kind === 'archive'
      ? `extract ${dataset.download.file} (from ${dataset.download.urls[0]}) and put the files of its ${dataset.download.folder}/ folder`
      : `put ${required.join(', ')} (gzipped, or unpacked without .gz)`;
  throw new DatasetNotFoundError(
    [
      `${dataset.title} not found. Looked in:`,
      ...looked,
      `To fix: ${how} into ${where}${options.path ? '' : ', or pass --data <folder>'}.`,
      ...(options.path
        ? []
        : [
            `  With internet access, \`tunelab data fetch ${dataset.name}\` downloads and checks them.`,
          ]),
      ...(dataset.name === 'fashion-mnist' && !options.path
        ? ['  On Debian/Ubuntu: apt-get install dataset-fashion-mnist']
        : []),
    ].join('\n'),
  );
}

/** The path of `file` or, for a gzipped name, its unpacked twin inside `dir`, if it is a file. */
export function findFile(dir: string, file: string): string | undefined {
  const names = file.endsWith('.gz') ? [file, file.slice(0, -3)] : [file];
  for (const name of names) {
    const path = join(dir, name);
    if (existsSync(path) && statSync(path).isFile()) return path;
  }
  return undefined;
}
