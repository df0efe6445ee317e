import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { ArrayDataset } from '@tunelab/core';
import { type IdxArray, parseIdx } from '../idx/idx.js';
import { mnistPart } from '../idx/mnist.js';
import { type LocatedDataset, type LocateOptions, locateDataset } from './locate.js';

/** Reads an IDX file, gunzipping it when its first bytes are the gzip magic number. */
export function readIdxFile(path: string): IdxArray {
  const raw = readFileSync(path);
  let bytes: Uint8Array = raw;
  if (raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      bytes = gunzipSync(raw);
    } catch (error) {
      throw new Error(`${path}: gzip data is corrupt or truncated (${(error as Error).message})`);
    }
  }
  return parseIdx(bytes, path);
}

/** A dataset loaded from disk: its official parts, still uint8. */
export interface LoadedDataset extends LocatedDataset {
  readonly parts: Readonly<Record<string, ArrayDataset>>;
}

/** Locates a known MNIST-format dataset (see {@link locateDataset}) and loads its parts. */
export function loadDataset(name: string, options: LocateOptions = {}): LoadedDataset {
  const located = locateDataset(name, options);
  const parts: Record<string, ArrayDataset> = {};
  for (const [part, files] of Object.entries(located.files)) {
    parts[part] = mnistPart(
      {
        images: readIdxFile(files.images),
        labels: readIdxFile(files.labels),
        imagesFile: files.images,
        labelsFile: files.labels,
      },
      located.dataset.classes.length,
    );
  }
  return { ...located, parts };
}
