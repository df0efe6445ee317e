import { ArrayDataset } from '@tunelab/core';
import { DataError } from '../errors.js';
import type { IdxArray } from './idx.js';

/** One part of an MNIST-format dataset as parsed IDX arrays, with the files they came from. */
export interface MnistPartSource {
  /** Images, uint8 N x H x W. */
  images: IdxArray;
  /** Labels, uint8 N. */
  labels: IdxArray;
  /** Where the images came from (named in errors). */
  imagesFile: string;
  /** Where the labels came from (named in errors). */
  labelsFile: string;
}

/**
 * Checks a pair of MNIST-format IDX arrays (uint8 images N x H x W, uint8 labels N, labels
 * below `numClasses`) and wraps them as an ArrayDataset of shape [H, W, 1] scaled to [0, 1].
 * Images stay uint8.
 * `mnistPart({ images, labels, imagesFile, labelsFile })` of the Fashion-MNIST test files: 10,000
 * examples of shape [28, 28, 1].
 */
export function mnistPart(source: MnistPartSource, numClasses = 10): ArrayDataset {
  const { images, labels, imagesFile, labelsFile } = source;
  if (images.dtype !== 'uint8' || images.shape.length !== 3) {
    throw new DataError(
      `${imagesFile}: expected uint8 images of 3 dimensions (count x rows x cols), got ${images.dtype} [${images.shape}]`,
    );
  }
  if (labels.dtype !== 'uint8' || labels.shape.length !== 1) {
    throw new DataError(
      `${labelsFile}: expected uint8 labels of 1 dimension, got ${labels.dtype} [${labels.shape}]`,
    );
  }
  const [count, rows, cols] = images.shape as [number, number, number];
  if (labels.shape[0] !== count) {
    throw new DataError(
      `${labelsFile}: has ${labels.shape[0]} labels but ${imagesFile} has ${count} images`,
    );
  }
  const labelData = labels.data as Uint8Array;
  for (let i = 0; i < labelData.length; i++) {
    if (labelData[i]! >= numClasses) {
      throw new DataError(
        `${labelsFile}: label ${labelData[i]} of item ${i} (byte ${8 + i}) is outside 0..${numClasses - 1}`,
      );
    }
  }
  return new ArrayDataset({
    x: images.data as Uint8Array,
    y: labelData,
    inputShape: [rows, cols, 1],
    numClasses,
    scale: 1 / 255,
  });
}

/**
 * Concatenates datasets of the same shape and classes into one (train then test, say).
 * `concatDatasets([fashion.parts.train, fashion.parts.test]).size` is 60,000 + 10,000 = 70,000.
 */
export function concatDatasets(parts: readonly ArrayDataset[]): ArrayDataset {
  if (parts.length === 0) throw new Error('concatDatasets: no parts');
  const first = parts[0]!;
  const exampleSize = first.inputShape.reduce((a, b) => a * b, 1);
  const total = parts.reduce((n, p) => n + p.size, 0);
  const firstRaw = first.rawExamples();
  const x =
    firstRaw.x instanceof Uint8Array
      ? new Uint8Array(total * exampleSize)
      : new Float32Array(total * exampleSize);
  const y = firstRaw.y instanceof Uint8Array ? new Uint8Array(total) : new Int32Array(total);
  let at = 0;
  for (const part of parts) {
    if (
      part.inputShape.join(',') !== first.inputShape.join(',') ||
      part.numClasses !== first.numClasses
    ) {
      throw new Error(
        `concatDatasets: part of shape [${part.inputShape}] with ${part.numClasses} classes does not match [${first.inputShape}] with ${first.numClasses}`,
      );
    }
    const raw = part.rawExamples();
    x.set(raw.x, at * exampleSize);
    y.set(raw.y, at);
    at += part.size;
  }
  return new ArrayDataset({
    x,
    y,
    inputShape: first.inputShape,
    numClasses: first.numClasses,
    scale: first.scale,
  });
}
