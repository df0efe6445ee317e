import type { ServedDataset } from '@tunelab/core/record';
import { mnistPart, parseIdx } from '@tunelab/datasets';
import type { ExperimentData } from '@tunelab/experiment';
import type { RunSource } from '../source/types.js';

/** An IDX file in memory: its name and its bytes (gzipped or not). */
export interface IdxFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** The bytes of a file, gunzipped when they start with gzip's magic number (1f 8b). */
export async function gunzipIfNeeded(bytes: Uint8Array): Promise<Uint8Array> {
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  const stream = new Blob([bytes as BlobPart])
    .stream()
    .pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** An images file and its labels file: "train-images-idx3-ubyte.gz" with "train-labels-idx1-ubyte.gz". */
export interface IdxPair {
  readonly part: string;
  readonly images: IdxFile;
  readonly labels: IdxFile;
}

/**
 * Pairs MNIST-format files by name: "<part>-images..." with "<part>-labels..." (the official
 * names: train, t10k), training part first. Errors name the file without a partner.
 */
export function pairIdxFiles(files: readonly IdxFile[]): IdxPair[] {
  const parts = new Map<string, { images?: IdxFile; labels?: IdxFile }>();
  for (const file of files) {
    const match = /^(.*?)[-_.]?(images|labels)[-_.]/i.exec(file.name);
    if (!match)
      throw new Error(
        `${file.name}: expected an MNIST-format name such as train-images-idx3-ubyte(.gz) or train-labels-idx1-ubyte(.gz)`,
      );
    const part = match[1]!.toLowerCase() || 'data';
    const entry = parts.get(part) ?? {};
    entry[match[2]!.toLowerCase() as 'images' | 'labels'] = file;
    parts.set(part, entry);
  }
  const pairs: IdxPair[] = [];
  for (const [part, { images, labels }] of parts) {
    if (!images)
      throw new Error(
        `${labels!.name}: no images file for part "${part}" (expected ${part}-images-idx3-ubyte)`,
      );
    if (!labels)
      throw new Error(
        `${images.name}: no labels file for part "${part}" (expected ${part}-labels-idx1-ubyte)`,
      );
    pairs.push({ part, images, labels });
  }
  if (pairs.length === 0)
    throw new Error(
      'no IDX files given: expected the images and labels files of MNIST or Fashion-MNIST',
    );
  return pairs.sort((a, b) =>
    a.part === 'train' ? -1 : b.part === 'train' ? 1 : a.part.localeCompare(b.part),
  );
}

/** Where a dataset's IDX files came from, as the run records it. */
export interface IdxOrigin {
  /** Registry name ('fashion-mnist') or 'files' for files dropped on the page. */
  readonly name: string;
  /** Display name. */
  readonly title: string;
  /** Class names by label. */
  readonly classes: readonly string[];
  /** 'server' (the tunelab ui server sent them) or 'files' (dropped on the page). */
  readonly source: 'server' | 'files';
  /** Where they were read from (the server's URL, or the file names). */
  readonly location: string;
}

/**
 * Parses and checks the pairs (magic numbers, sizes, labels below the number of classes) as
 * the dataset an experiment trains on: its parts in the official order (train first), which
 * the pipeline merges and splits exactly as `tunelab train` does. Images stay uint8.
 */
export async function experimentDataFromIdx(
  files: readonly IdxFile[],
  origin: IdxOrigin,
): Promise<ExperimentData> {
  const pairs = pairIdxFiles(files);
  const parts = await Promise.all(
    pairs.map(async (p) =>
      mnistPart(
        {
          images: parseIdx(await gunzipIfNeeded(p.images.bytes), p.images.name),
          labels: parseIdx(await gunzipIfNeeded(p.labels.bytes), p.labels.name),
          imagesFile: p.images.name,
          labelsFile: p.labels.name,
        },
        origin.classes.length,
      ),
    ),
  );
  return {
    ...origin,
    parts: Object.fromEntries(pairs.map((p, i) => [p.part, parts[i]!])),
  };
}

/** Downloads a dataset the server offers (every part's files), reporting bytes received. */
export async function fetchServedDataset(
  source: RunSource,
  dataset: ServedDataset,
  onProgress: (received: number, total: number) => void,
): Promise<IdxFile[]> {
  const files = Object.values(dataset.parts).flat();
  const total = files.reduce((n, f) => n + f.bytes, 0);
  let received = 0;
  return Promise.all(
    files.map(async (file) => {
      const url = source.datasetFileUrl!(dataset.name, file.name);
      const response = await fetch(url);
      if (!response.ok || !response.body)
        throw new Error(`${file.name}: HTTP ${response.status} from ${url}`);
      const chunks: Uint8Array[] = [];
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        received += value.length;
        onProgress(received, total);
      }
      const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
      let at = 0;
      for (const c of chunks) {
        bytes.set(c, at);
        at += c.length;
      }
      return { name: file.name, bytes };
    }),
  );
}
