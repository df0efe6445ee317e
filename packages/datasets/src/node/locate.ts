import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { type KnownDataset, knownDataset } from '../registry.js';

/** Environment variable naming the dataset cache folder (one sub-folder per dataset). */
export const DATA_DIR_ENV_VAR = 'TUNELAB_DATA_DIR';

/** Where a dataset was found: an explicit path, the user's cache, or a system copy. */
export type DataSource = 'explicit' | 'cache' | 'system';

export interface LocatedDataset {
  readonly dataset: KnownDataset;
  readonly dir: string;
  readonly source: DataSource;
  /** Part name -> absolute paths of its images and labels files (gzipped or plain). */
  readonly files: Readonly<Record<string, { images: string; labels: string }>>;
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

/** No copy of the dataset was found; the message lists where we looked and how to fix it. */
export class DatasetNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatasetNotFoundError';
  }
}

/** The cache folder for datasets: $TUNELAB_DATA_DIR, else $XDG_CACHE_HOME/tunelab/datasets, else ~/.cache/tunelab/datasets. */
export function dataCacheDir(
  env: Readonly<Record<string, string | undefined>> = process.env,
): string {
  if (env[DATA_DIR_ENV_VAR]) return resolve(env[DATA_DIR_ENV_VAR]!);
  const cacheHome = env.XDG_CACHE_HOME ? resolve(env.XDG_CACHE_HOME) : join(homedir(), '.cache');
  return join(cacheHome, 'tunelab', 'datasets');
}

/**
 * Finds a dataset's files: the explicit path if given (and only it), else the cache folder,
 * else the known system copies. Accepts each file gzipped (name.gz) or plain (name).
 */
export function locateDataset(name: string, options: LocateOptions = {}): LocatedDataset {
  const dataset = knownDataset(name);
  const parts = options.parts ?? Object.keys(dataset.parts);
  const required = parts.flatMap((p) => {
    const files = dataset.parts[p];
    if (!files)
      throw new Error(
        `${dataset.title} has no part "${p}" (parts: ${Object.keys(dataset.parts).join(', ')})`,
      );
    return [files.images, files.labels];
  });

  const candidates: Array<{ dir: string; source: DataSource; note: string }> = options.path
    ? [{ dir: resolve(options.path), source: 'explicit', note: 'the path you gave' }]
    : [
        {
          dir: join(dataCacheDir(options.env), dataset.name),
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
      const files: Record<string, { images: string; labels: string }> = {};
      for (const p of parts) {
        const f = dataset.parts[p]!;
        files[p] = {
          images: findFile(candidate.dir, f.images)!,
          labels: findFile(candidate.dir, f.labels)!,
        };
      }
      return { dataset, dir: candidate.dir, source: candidate.source, files };
    }
    const state = existsSync(candidate.dir)
      ? `missing ${missing.join(', ')}`
      : 'folder does not exist';
    looked.push(`  ${candidate.dir} (${candidate.note}): ${state}`);
  }
  const plainNames = required.map((f) => f.replace(/\.gz$/, ''));
  throw new DatasetNotFoundError(
    [
      `${dataset.title} not found. Looked in:`,
      ...looked,
      `To fix: put ${required.join(', ')} (gzipped, or unpacked as ${plainNames.join(', ')})`,
      options.path
        ? `  into ${resolve(options.path)},`
        : `  into ${join(dataCacheDir(options.env), dataset.name)} or pass --data <folder>; the files are at ${dataset.homepage}`,
      ...(dataset.name === 'fashion-mnist' && !options.path
        ? ['  On Debian/Ubuntu: apt-get install dataset-fashion-mnist']
        : []),
    ].join('\n'),
  );
}

/** The path of `file` (gzipped name) or its unpacked twin inside `dir`, if it is a file. */
function findFile(dir: string, file: string): string | undefined {
  for (const name of [file, file.replace(/\.gz$/, '')]) {
    const path = join(dir, name);
    if (existsSync(path) && statSync(path).isFile()) return path;
  }
  return undefined;
}
