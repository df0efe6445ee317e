import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import * as tar from 'tar';
import { type KnownDataset, knownDataset } from '../registry.js';
import {
  cachedDatasetDir,
  findFile,
  type LocatedDataset,
  locateDataset,
  requiredFiles,
} from './locate.js';

/** Progress of one file's download. */
export interface DownloadProgress {
  /** The file being downloaded. */
  readonly file: string;
  /** The URL it is coming from. */
  readonly url: string;
  /** Bytes received so far. */
  readonly received: number;
  /** From Content-Length, when the server sends it. */
  readonly total: number | null;
}

/** Options of {@link downloadFile} and {@link fetchDataset}. */
export interface DownloadOptions {
  /** Called as bytes arrive (drive a progress bar with it). */
  onProgress?: (progress: DownloadProgress) => void;
  /** Tries per URL for network errors, truncated bodies and HTTP 5xx. Default 3. */
  attempts?: number;
  /** Wait before retry k is retryDelayMs * 2^(k-1). Default 500 ms. */
  retryDelayMs?: number;
}

/**
 * A download that failed at every URL; the message lists what happened at each.
 * e.g. "Could not download train-images-idx3-ubyte.gz:" then one line per URL (HTTP 404, MD5
 * mismatch, ...), and where to put the files by hand.
 */
export class DownloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DownloadError';
  }
}

class Retryable extends Error {}

/**
 * Downloads to `dest` from the first URL that works, checking the MD5 (and size when given),
 * and places the file atomically: it is written as a temporary file beside `dest` and renamed
 * only once complete and verified. Network errors, truncated bodies and HTTP 5xx are retried
 * with backoff; a 4xx or a checksum mismatch moves on to the next URL.
 */
export async function downloadFile(
  spec: { urls: readonly string[]; dest: string; md5?: string; bytes?: number },
  options: DownloadOptions = {},
): Promise<void> {
  const attempts = options.attempts ?? 3;
  const delay = options.retryDelayMs ?? 500;
  const file = basename(spec.dest);
  mkdirSync(dirname(spec.dest), { recursive: true });
  const failures: string[] = [];
  for (const url of spec.urls) {
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const temp = `${spec.dest}.part-${process.pid}-${randomBytes(3).toString('hex')}`;
      try {
        await fetchOnce(url, temp, file, spec, options);
        renameSync(temp, spec.dest);
        return;
      } catch (error) {
        rmSync(temp, { force: true });
        const message = describe(error);
        if (!(error instanceof Retryable)) {
          failures.push(`${url}: ${message}`);
          break;
        }
        failures.push(`${url} (try ${attempt} of ${attempts}): ${message}`);
        if (attempt < attempts) await new Promise((r) => setTimeout(r, delay * 2 ** (attempt - 1)));
      }
    }
  }
  const offline = failures.some((f) =>
    /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT/.test(f),
  );
  throw new DownloadError(
    [
      `Could not download ${file}:`,
      ...failures.map((f) => `  ${f}`),
      ...(offline
        ? [`Offline? Download ${file} elsewhere and put it in ${dirname(spec.dest)}.`]
        : []),
    ].join('\n'),
  );
}

async function fetchOnce(
  url: string,
  temp: string,
  file: string,
  spec: { md5?: string; bytes?: number },
  options: DownloadOptions,
): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'follow' });
  } catch (error) {
    // A name that does not resolve will not resolve on a retry either (offline, typo).
    const code = (error as { cause?: { code?: string } }).cause?.code;
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') throw new Error(describe(error));
    throw new Retryable(describe(error));
  }
  if (response.status >= 500) throw new Retryable(`HTTP ${response.status} ${response.statusText}`);
  if (!response.ok || !response.body)
    throw new Error(`HTTP ${response.status} ${response.statusText}`);
  const header = response.headers.get('content-length');
  const total = header === null ? null : Number(header);
  const hash = createHash('md5');
  const handle = await open(temp, 'w');
  let received = 0;
  try {
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        await handle.write(chunk);
        hash.update(chunk);
        received += chunk.length;
        options.onProgress?.({ file, url, received, total });
      }
    } catch (error) {
      throw new Retryable(
        `connection lost after ${received} bytes${total !== null ? ` of ${total}` : ''} (${describe(error)})`,
      );
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
  if (total !== null && received !== total)
    throw new Retryable(`truncated: received ${received} of ${total} bytes`);
  if (spec.bytes !== undefined && received !== spec.bytes)
    throw new Error(`size mismatch: received ${received} bytes, expected ${spec.bytes}`);
  const digest = hash.digest('hex');
  if (spec.md5 && digest !== spec.md5)
    throw new Error(`checksum mismatch: md5 ${digest}, expected ${spec.md5}`);
}

/**
 * MD5 of a file on disk, as hex.
 * For Fashion-MNIST's t10k-labels-idx1-ubyte.gz, `await md5File(path)` is
 * '0d30e22e447f3c33dab9ed536400ac01'.
 */
export async function md5File(path: string): Promise<string> {
  const hash = createHash('md5');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Options of {@link fetchDataset}. */
export interface FetchDatasetOptions extends DownloadOptions {
  /** Environment to read TUNELAB_DATA_DIR / XDG_CACHE_HOME from. Default process.env. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** What {@link fetchDataset} did. */
export interface FetchResult {
  /** Where the dataset now is (the cache folder) and its files. */
  readonly located: LocatedDataset;
  /** Files downloaded now (empty when the cache already held a verified copy). */
  readonly downloaded: readonly string[];
}

/**
 * Fills the cache folder with a dataset from its official source, verifying checksums.
 * Files already in the cache with the right checksum are kept. CIFAR-10's archive is
 * downloaded, verified, and unpacked into a temporary folder that is renamed into place.
 * ```ts
 * const onProgress = (p: DownloadProgress) => bar.update(p.received);
 * const { located, downloaded } = await fetchDataset('mnist', { onProgress });
 * // located.dir: ~/.cache/tunelab/datasets/mnist; downloaded: the files fetched now
 * ```
 */
export async function fetchDataset(
  nameOrDataset: string | KnownDataset,
  options: FetchDatasetOptions = {},
): Promise<FetchResult> {
  const dataset = typeof nameOrDataset === 'string' ? knownDataset(nameOrDataset) : nameOrDataset;
  const dir = cachedDatasetDir(dataset, options.env);
  const downloaded: string[] = [];
  try {
    await fillCache(dataset, dir, downloaded, options);
  } catch (error) {
    if (!(error instanceof DownloadError)) throw error;
    const files =
      dataset.download.kind === 'archive' ? [dataset.download.file] : requiredFiles(dataset);
    throw new DownloadError(
      `${error.message}\nTo set up ${dataset.title} without this download, put ${files.join(', ')} into ${dir}` +
        (dataset.download.kind === 'archive'
          ? ` (unpacked: the files of its ${dataset.download.folder}/ folder)`
          : '') +
        ` (from ${dataset.homepage}).`,
    );
  }
  const located = locateDataset(dataset, {
    ...(options.env ? { env: options.env } : {}),
    systemDirs: [],
  });
  return { located: { ...located, source: downloaded.length ? 'download' : 'cache' }, downloaded };
}

async function fillCache(
  dataset: KnownDataset,
  dir: string,
  downloaded: string[],
  options: DownloadOptions,
): Promise<void> {
  const spec = dataset.download;
  if (spec.kind === 'files') {
    for (const file of requiredFiles(dataset)) {
      const dest = join(dir, file);
      const expected = spec.md5[file];
      if (existsSync(dest) && (!expected || (await md5File(dest)) === expected)) continue;
      await downloadFile(
        {
          urls: spec.baseUrls.map((base) => base + file),
          dest,
          ...(expected ? { md5: expected } : {}),
        },
        options,
      );
      downloaded.push(file);
    }
  } else if (requiredFiles(dataset).some((f) => !findFile(dir, f))) {
    const archive = join(dirname(dir), '.downloads', spec.file);
    if (!existsSync(archive) || (await md5File(archive)) !== spec.md5) {
      await downloadFile(
        { urls: spec.urls, dest: archive, md5: spec.md5, bytes: spec.bytes },
        options,
      );
      downloaded.push(spec.file);
    }
    const staging = `${dir}.unpack-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    const wanted = new Set([...requiredFiles(dataset), 'batches.meta.txt']);
    // node-tar refuses absolute paths and '..'; the filter keeps only the dataset's own files.
    await tar.x({
      file: archive,
      cwd: staging,
      strip: 1,
      filter: (path) => path.startsWith(`${spec.folder}/`) && wanted.has(basename(path)),
    });
    const missing = requiredFiles(dataset).filter((f) => !existsSync(join(staging, f)));
    if (missing.length) {
      rmSync(staging, { recursive: true, force: true });
      throw new DownloadError(
        `${archive}: the archive lacks ${spec.folder}/${missing.join(`, ${spec.folder}/`)}`,
      );
    }
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
    rmSync(archive, { force: true });
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code
    ? `${error.message} (${cause.code})`
    : cause?.message
      ? `${error.message} (${cause.message})`
      : error.message;
}
