import { describe, expect, it } from 'vitest';
import { CIFAR_RECORD_BYTES, encodeCifarBatch, parseCifarBatch } from './cifar.js';

/** Two records written by hand in the official layout: label, 1,024 R, 1,024 G, 1,024 B. */
function handMade(): Uint8Array {
  const bytes = new Uint8Array(2 * CIFAR_RECORD_BYTES);
  for (let r = 0; r < 2; r++) {
    const at = r * CIFAR_RECORD_BYTES;
    bytes[at] = r === 0 ? 3 : 9;
    for (let p = 0; p < 1024; p++) {
      bytes[at + 1 + p] = (p + r) % 256; // red plane
      bytes[at + 1 + 1024 + p] = 100; // green plane
      bytes[at + 1 + 2048 + p] = 255 - (p % 256); // blue plane
    }
  }
  return bytes;
}

describe('CIFAR-10 binary batches', () => {
  it('reads labels and reorders CHW planes to HWC pixels', () => {
    const batch = parseCifarBatch(handMade(), 'data_batch_1.bin');
    expect(batch.count).toBe(2);
    expect(Array.from(batch.labels)).toEqual([3, 9]);
    // Pixel (row 0, col 5) of record 0: R = 5, G = 100, B = 250.
    expect(Array.from(batch.images.subarray(3 * 5, 3 * 5 + 3))).toEqual([5, 100, 250]);
    // Pixel (row 1, col 0) = p 32 of record 1: R = 33, G = 100, B = 223.
    const at = 3072 + 3 * 32;
    expect(Array.from(batch.images.subarray(at, at + 3))).toEqual([33, 100, 223]);
  });

  it('round-trips through encodeCifarBatch', () => {
    const bytes = handMade();
    const batch = parseCifarBatch(bytes, 'x.bin');
    expect(encodeCifarBatch(batch.images, batch.labels)).toEqual(bytes);
  });

  it('names the file, the record and the byte for each corruption', () => {
    const bytes = handMade();
    expect(() => parseCifarBatch(new Uint8Array(0), 'empty.bin')).toThrow(
      'empty.bin: file is empty (expected records of 3073 bytes)',
    );
    expect(() => parseCifarBatch(bytes.subarray(0, 3073 + 100), 'cut.bin')).toThrow(
      'cut.bin: length 3173 is not a whole number of 3073-byte records (1 label + 3,072 pixels): record 1 is truncated after 100 bytes at byte 3073',
    );
    expect(() => parseCifarBatch(bytes, 'data_batch_2.bin', { records: 10_000 })).toThrow(
      'data_batch_2.bin: holds 2 records (6146 bytes), expected 10000 (30730000 bytes)',
    );
    const badLabel = bytes.slice();
    badLabel[3073] = 10;
    expect(() => parseCifarBatch(badLabel, 'test_batch.bin')).toThrow(
      'test_batch.bin: record 1 (byte 3073): label 10 is outside 0..9',
    );
  });
});
