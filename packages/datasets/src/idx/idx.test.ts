import { describe, expect, it } from 'vitest';
import { encodeIdx, parseIdx } from './idx.js';

const images = {
  dtype: 'uint8' as const,
  shape: [2, 3, 2],
  data: Uint8Array.from({ length: 12 }, (_, i) => i * 20),
};

describe('IDX', () => {
  it('parses a generated file: magic 0x00000803, big-endian dims, uint8 data', () => {
    const bytes = encodeIdx(images);
    // Header by hand: magic 00 00 08 03, then 2, 3, 2 as big-endian uint32.
    expect(Array.from(bytes.subarray(0, 16))).toEqual([
      0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 2,
    ]);
    expect(bytes.length).toBe(16 + 12);
    const parsed = parseIdx(bytes, 'x.idx');
    expect(parsed.dtype).toBe('uint8');
    expect(parsed.shape).toEqual([2, 3, 2]);
    expect(Array.from(parsed.data)).toEqual(Array.from(images.data));
  });

  it('round-trips wider types big-endian', () => {
    const ints = { dtype: 'int32' as const, shape: [3], data: Int32Array.from([1, -2, 70000]) };
    const bytes = encodeIdx(ints);
    expect(Array.from(bytes.subarray(8, 12))).toEqual([0, 0, 0, 1]);
    expect(Array.from(parseIdx(bytes, 'i.idx').data)).toEqual([1, -2, 70000]);
    const floats = {
      dtype: 'float64' as const,
      shape: [2],
      data: Float64Array.from([0.5, -1e300]),
    };
    expect(Array.from(parseIdx(encodeIdx(floats), 'f.idx').data)).toEqual([0.5, -1e300]);
  });

  it('names the file, the byte and what was expected for each kind of corruption', () => {
    const good = encodeIdx(images);
    expect(() => parseIdx(good.subarray(0, 3), 'a.idx')).toThrow(
      'a.idx: byte 0: file is 3 bytes, too short for the 4-byte IDX magic number',
    );
    expect(() => parseIdx(Uint8Array.from([0x1f, 0x8b, 8, 0]), 'b.gz')).toThrow(
      'b.gz: byte 0: data is gzip-compressed',
    );
    expect(() => parseIdx(Uint8Array.from([1, 0, 8, 1, 0, 0, 0, 0]), 'c.idx')).toThrow(
      'c.idx: byte 0: magic number must start with two zero bytes, got 0x01 0x00',
    );
    expect(() => parseIdx(Uint8Array.from([0, 0, 7, 1, 0, 0, 0, 0]), 'd.idx')).toThrow(
      /^d\.idx: byte 2: unknown element type 0x07/,
    );
    expect(() => parseIdx(good.subarray(0, 10), 'e.idx')).toThrow(
      'e.idx: byte 10: header declares 3 dimensions (16 header bytes) but the file ends after 10 bytes',
    );
    expect(() => parseIdx(good.subarray(0, 20), 'f.idx')).toThrow(
      'f.idx: byte 20: truncated: dimensions 2 x 3 x 2 of uint8 need 28 bytes (16 header + 12 data), file has 20',
    );
    const longer = new Uint8Array(30);
    longer.set(good);
    expect(() => parseIdx(longer, 'g.idx')).toThrow(
      'g.idx: byte 28: has trailing bytes: dimensions 2 x 3 x 2 of uint8 need 28 bytes (16 header + 12 data), file has 30',
    );
  });
});
