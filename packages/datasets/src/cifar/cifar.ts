import { DataError } from '../errors.js';

/**
 * CIFAR-10's binary format (https://www.cs.toronto.edu/~kriz/cifar.html, "Binary version"):
 * records of 1 label byte followed by 3,072 pixel bytes: 1,024 red, then 1,024 green, then
 * 1,024 blue values of a 32x32 image in row-major order (channel planes, CHW).
 * = 1 + 3 * 32 * 32 = 3,073 bytes; an official batch file holds 10,000 records (30,730,000 bytes).
 */
export const CIFAR_RECORD_BYTES = 1 + 3 * 32 * 32;

/** Examples of one batch file: pixels reordered to HWC (NHWC when stacked), uint8. */
export interface CifarBatch {
  /** Pixels of all records, count x 32 x 32 x 3 (HWC per image). */
  readonly images: Uint8Array;
  /** Class of each record, 0..9. */
  readonly labels: Uint8Array;
  /** Records in the batch (10,000 in an official file). */
  readonly count: number;
}

/** Options of {@link parseCifarBatch}. */
export interface CifarParseOptions {
  /** Records the file must hold (10,000 for the official files); any count when absent. */
  records?: number;
  /** Classes: labels must be below this. Default 10. */
  numClasses?: number;
}

/**
 * Parses one CIFAR-10 batch file, converting CHW planes to HWC pixels. Checks the length is a
 * whole number of 3,073-byte records (and the expected count when given) and every label;
 * errors name the file, the record and its byte offset.
 * ```ts
 * const bytes = encodeCifarBatch(new Uint8Array(2 * 3072), [3, 7]); // two black images
 * parseCifarBatch(bytes, 'b.bin'); // { count: 2, labels: [3, 7], images: 2 * 3,072 zeros }
 * ```
 */
export function parseCifarBatch(
  bytes: Uint8Array,
  file: string,
  options: CifarParseOptions = {},
): CifarBatch {
  const numClasses = options.numClasses ?? 10;
  if (bytes.length === 0)
    throw new DataError(`${file}: file is empty (expected records of ${CIFAR_RECORD_BYTES} bytes)`);
  const count = Math.floor(bytes.length / CIFAR_RECORD_BYTES);
  const rest = bytes.length % CIFAR_RECORD_BYTES;
  if (rest !== 0) {
    throw new DataError(
      `${file}: length ${bytes.length} is not a whole number of ${CIFAR_RECORD_BYTES}-byte records (1 label + 3,072 pixels): record ${count} is truncated after ${rest} bytes at byte ${count * CIFAR_RECORD_BYTES}`,
    );
  }
  if (options.records !== undefined && count !== options.records) {
    throw new DataError(
      `${file}: holds ${count} records (${bytes.length} bytes), expected ${options.records} (${options.records * CIFAR_RECORD_BYTES} bytes)`,
    );
  }
  const images = new Uint8Array(count * 3072);
  const labels = new Uint8Array(count);
  for (let r = 0; r < count; r++) {
    const at = r * CIFAR_RECORD_BYTES;
    const label = bytes[at]!;
    if (label >= numClasses) {
      throw new DataError(
        `${file}: record ${r} (byte ${at}): label ${label} is outside 0..${numClasses - 1}`,
      );
    }
    labels[r] = label;
    const out = r * 3072;
    for (let p = 0; p < 1024; p++) {
      images[out + 3 * p] = bytes[at + 1 + p]!;
      images[out + 3 * p + 1] = bytes[at + 1 + 1024 + p]!;
      images[out + 3 * p + 2] = bytes[at + 1 + 2048 + p]!;
    }
  }
  return { images, labels, count };
}

/**
 * Encodes HWC uint8 images (32x32x3 each) and labels as CIFAR-10 binary records: the inverse
 * of {@link parseCifarBatch}, for writing test fixtures and subsets in the official format.
 * Two images give 2 * 3,073 = 6,146 bytes.
 */
export function encodeCifarBatch(images: Uint8Array, labels: ArrayLike<number>): Uint8Array {
  if (images.length !== labels.length * 3072) {
    throw new Error(
      `encodeCifarBatch: ${labels.length} labels need ${labels.length * 3072} pixel bytes, got ${images.length}`,
    );
  }
  const out = new Uint8Array(labels.length * CIFAR_RECORD_BYTES);
  for (let r = 0; r < labels.length; r++) {
    const at = r * CIFAR_RECORD_BYTES;
    out[at] = labels[r]!;
    for (let p = 0; p < 1024; p++) {
      for (let c = 0; c < 3; c++) out[at + 1 + c * 1024 + p] = images[r * 3072 + 3 * p + c]!;
    }
  }
  return out;
}
