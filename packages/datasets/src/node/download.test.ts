import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as tar from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCifarBatch } from '../cifar/cifar.js';
import { encodeIdx } from '../idx/idx.js';
import { KNOWN_DATASETS, type KnownDataset } from '../registry.js';
import { DownloadError, downloadFile, fetchDataset } from './download.js';
import { loadDataset } from './load.js';

// A real HTTP server on 127.0.0.1 serving generated files; nothing in the network layer is mocked.
const files = new Map<string, Buffer>();
const requests = new Map<string, number>();
let server: Server;
let base = '';
const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

function idxFile(dims: number[], fill: (i: number) => number): Buffer {
  const n = dims.reduce((a, b) => a * b, 1);
  return gzipSync(
    encodeIdx({
      dtype: 'uint8',
      shape: dims,
      data: Uint8Array.from({ length: n }, (_, i) => fill(i)),
    }),
  );
}

beforeAll(async () => {
  files.set(
    'train-images-idx3-ubyte.gz',
    idxFile([6, 2, 2], (i) => i),
  );
  files.set(
    'train-labels-idx1-ubyte.gz',
    idxFile([6], (i) => i % 3),
  );
  files.set(
    't10k-images-idx3-ubyte.gz',
    idxFile([3, 2, 2], (i) => 255 - i),
  );
  files.set(
    't10k-labels-idx1-ubyte.gz',
    idxFile([3], (i) => i),
  );

  // A CIFAR-style archive: cifar-10-batches-bin/ with six small batch files, plus a stray file.
  const staging = mkdtempSync(join(tmpdir(), 'tunelab-tar-'));
  const folder = join(staging, 'cifar-10-batches-bin');
  mkdirSync(folder);
  for (const name of [...KNOWN_DATASETS.cifar10!.parts.train!, 'test_batch.bin']) {
    writeFileSync(join(folder, name), encodeCifarBatch(new Uint8Array(2 * 3072).fill(7), [1, 2]));
  }
  writeFileSync(join(folder, 'batches.meta.txt'), 'airplane\n');
  writeFileSync(join(staging, 'README.txt'), 'not part of the dataset');
  const archive = join(staging, 'archive.tar.gz');
  await tar.c({ gzip: true, file: archive, cwd: staging }, ['cifar-10-batches-bin', 'README.txt']);
  files.set('archive.tar.gz', readFileSync(archive));

  server = createServer((req, res) => {
    const [, route, name] = (req.url ?? '').split('/');
    const key = `${route}/${name}`;
    requests.set(key, (requests.get(key) ?? 0) + 1);
    const body = files.get(name ?? '');
    if (!body || route === 'missing') {
      res.writeHead(404).end('not found');
      return;
    }
    const truncate = route === 'trunc' || (route === 'flaky' && requests.get(key) === 1);
    const served = route === 'bad' ? Buffer.concat([body, Buffer.from('x')]) : body;
    res.writeHead(200, { 'content-length': String(served.length) });
    if (truncate) {
      res.write(served.subarray(0, Math.floor(served.length / 2)));
      setTimeout(() => res.destroy(), 20);
    } else res.end(served);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((done) => server.close(() => done())));

function tinySpec(baseUrls: string[]): KnownDataset {
  return {
    ...KNOWN_DATASETS.mnist!,
    name: 'tiny',
    title: 'Tiny',
    classes: ['a', 'b', 'c'],
    systemDirs: [],
    download: {
      kind: 'files',
      baseUrls,
      md5: Object.fromEntries(
        [...files].filter(([n]) => n.endsWith('ubyte.gz')).map(([n, b]) => [n, md5(b)]),
      ),
    },
  };
}

const noLeftovers = (dir: string) =>
  expect(readdirSync(dir).filter((f) => f.includes('.part-'))).toEqual([]);

describe('downloading datasets', () => {
  it('downloads every file, verifies it, reports progress, and reuses the cache next time', async () => {
    const env = { TUNELAB_DATA_DIR: mkdtempSync(join(tmpdir(), 'tunelab-cache-')) };
    const progress: Array<[string, number, number | null]> = [];
    const first = await fetchDataset(tinySpec([`${base}/good/`]), {
      env,
      onProgress: (p) => progress.push([p.file, p.received, p.total]),
    });
    expect(first.downloaded).toHaveLength(4);
    expect(first.located.source).toBe('download');
    const last = progress.filter(([f]) => f === 'train-images-idx3-ubyte.gz').at(-1)!;
    expect(last[1]).toBe(last[2]);
    const loaded = loadDataset(tinySpec([]), { env, systemDirs: [] });
    expect(loaded.source).toBe('cache');
    expect(loaded.parts.train!.size).toBe(6);
    expect(loaded.parts.test!.classCounts()).toEqual([1, 1, 1]);
    const again = await fetchDataset(tinySpec([`${base}/missing/`]), { env });
    expect(again.downloaded).toEqual([]);
    noLeftovers(join(env.TUNELAB_DATA_DIR, 'tiny'));
  });

  it('moves past a 404 and a wrong checksum to the next mirror', async () => {
    const env = { TUNELAB_DATA_DIR: mkdtempSync(join(tmpdir(), 'tunelab-cache-')) };
    const result = await fetchDataset(
      tinySpec([`${base}/missing/`, `${base}/bad/`, `${base}/good/`]),
      { env, retryDelayMs: 1 },
    );
    expect(result.downloaded).toHaveLength(4);
  });

  it('fails with every reason when no mirror has a good copy, leaving no partial file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tunelab-dl-'));
    const body = files.get('train-labels-idx1-ubyte.gz')!;
    const dest = join(dir, 'train-labels-idx1-ubyte.gz');
    const error = await downloadFile({
      urls: [
        `${base}/missing/train-labels-idx1-ubyte.gz`,
        `${base}/bad/train-labels-idx1-ubyte.gz`,
      ],
      dest,
      md5: md5(body),
    }).catch((e) => e);
    expect(error).toBeInstanceOf(DownloadError);
    expect(error.message).toContain('Could not download train-labels-idx1-ubyte.gz:');
    expect(error.message).toContain(
      `${base}/missing/train-labels-idx1-ubyte.gz: HTTP 404 Not Found`,
    );
    expect(error.message).toContain(
      `${base}/bad/train-labels-idx1-ubyte.gz: checksum mismatch: md5 ${md5(Buffer.concat([body, Buffer.from('x')]))}, expected ${md5(body)}`,
    );
    expect(existsSync(dest)).toBe(false);
    noLeftovers(dir);
  });

  it('retries a truncated body, then gives up with the byte counts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tunelab-dl-'));
    const body = files.get('train-images-idx3-ubyte.gz')!;
    const error = await downloadFile(
      {
        urls: [`${base}/trunc/train-images-idx3-ubyte.gz`],
        dest: join(dir, 'f.gz'),
        md5: md5(body),
      },
      { attempts: 2, retryDelayMs: 5 },
    ).catch((e) => e);
    expect(error.message).toMatch(
      /\(try 1 of 2\): (connection lost after \d+ bytes of \d+|truncated: received \d+ of \d+ bytes)/,
    );
    expect(error.message).toMatch(/\(try 2 of 2\)/);
    expect(requests.get('trunc/train-images-idx3-ubyte.gz')).toBe(2);
    noLeftovers(dir);
  });

  it('succeeds on a retry after a dropped connection', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tunelab-dl-'));
    const body = files.get('t10k-images-idx3-ubyte.gz')!;
    const dest = join(dir, 't10k.gz');
    await downloadFile(
      { urls: [`${base}/flaky/t10k-images-idx3-ubyte.gz`], dest, md5: md5(body) },
      { retryDelayMs: 5 },
    );
    expect(requests.get('flaky/t10k-images-idx3-ubyte.gz')).toBe(2);
    expect(readFileSync(dest).equals(body)).toBe(true);
  });

  it('says it may be offline when the connection is refused', async () => {
    // A port that was just free: nothing listens there any more.
    const probe = createServer();
    await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((done) => probe.close(() => done()));
    const error = await downloadFile(
      {
        urls: [`http://127.0.0.1:${port}/x.gz`],
        dest: join(mkdtempSync(join(tmpdir(), 'tunelab-dl-')), 'x.gz'),
      },
      { attempts: 1 },
    ).catch((e) => e);
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(error.message).toMatch(/Offline\? Download x\.gz elsewhere and put it in /);
  });

  it('downloads, verifies and unpacks an archive (CIFAR-10 layout) into the cache', async () => {
    const env = { TUNELAB_DATA_DIR: mkdtempSync(join(tmpdir(), 'tunelab-cache-')) };
    const archive = files.get('archive.tar.gz')!;
    const spec: KnownDataset = {
      ...KNOWN_DATASETS.cifar10!,
      name: 'cifar-tiny',
      recordsPerFile: 2,
      systemDirs: [],
      download: {
        kind: 'archive',
        urls: [`${base}/good/archive.tar.gz`],
        file: 'archive.tar.gz',
        md5: md5(archive),
        bytes: archive.length,
        folder: 'cifar-10-batches-bin',
      },
    };
    const result = await fetchDataset(spec, { env });
    expect(result.downloaded).toEqual(['archive.tar.gz']);
    const dir = join(env.TUNELAB_DATA_DIR, 'cifar-tiny');
    expect(readdirSync(dir).sort()).toEqual([
      'batches.meta.txt',
      'data_batch_1.bin',
      'data_batch_2.bin',
      'data_batch_3.bin',
      'data_batch_4.bin',
      'data_batch_5.bin',
      'test_batch.bin',
    ]);
    const loaded = loadDataset(spec, { env });
    expect(loaded.parts.train!.size).toBe(10);
    expect(Array.from(loaded.parts.test!.labels())).toEqual([1, 2]);
  });
});
