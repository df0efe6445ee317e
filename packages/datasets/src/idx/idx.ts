import { DataError } from '../errors.js';

/**
 * The IDX format of LeCun's MNIST files: a 4-byte magic number (two zero bytes, a type
 * code, the number of dimensions), one big-endian uint32 per dimension, then the values
 * in row-major order, big-endian. http://yann.lecun.com/exdb/mnist/ (bottom of the page).
 */

/** Element types by IDX type code. */
const IDX_TYPES = {
  8: { name: 'uint8', bytes: 1 },
  9: { name: 'int8', bytes: 1 },
  11: { name: 'int16', bytes: 2 },
  12: { name: 'int32', bytes: 4 },
  13: { name: 'float32', bytes: 4 },
  14: { name: 'float64', bytes: 8 },
} as const satisfies Record<number, { name: IdxDtype; bytes: number }>;

type IdxTypeCode = keyof typeof IDX_TYPES;
/** Element types an IDX file can hold (type codes 0x08, 0x09, 0x0b, 0x0c, 0x0d, 0x0e). */
export type IdxDtype = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

/** A parsed IDX file. uint8 data is a view of the input bytes, not a copy. */
export interface IdxArray {
  /** Element type, from the type code in byte 2. */
  readonly dtype: IdxDtype;
  /** Dimensions, e.g. [60000, 28, 28] for MNIST training images. */
  readonly shape: readonly number[];
  /** The values in row-major order (a view for uint8, a copy for wider types read big-endian). */
  readonly data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

/**
 * An IDX file that does not match the format; names the file, the byte offset and the field.
 * e.g. "bad.idx: byte 2: unknown element type 0x07 (expected 0x08 uint8, ...)".
 */
export class IdxFormatError extends DataError {
  constructor(
    /** The file (or name) being parsed. */
    readonly file: string,
    /** Byte offset of the offending field. */
    readonly offset: number,
    detail: string,
  ) {
    super(`${file}: byte ${offset}: ${detail}`);
    this.name = 'IdxFormatError';
  }
}

/**
 * Parses IDX bytes (already decompressed). Checks the magic number, the type code, the
 * header length and that the data length equals the product of the dimensions exactly.
 * `file` is used in error messages.
 * ```ts
 * const data = Uint8Array.from([1, 2, 3, 4, 5, 6]);
 * const bytes = encodeIdx({ dtype: 'uint8', shape: [2, 3], data });
 * parseIdx(bytes, 'x.idx'); // { dtype: 'uint8', shape: [2, 3], data: [1, 2, 3, 4, 5, 6] }
 * ```
 */
export function parseIdx(bytes: Uint8Array, file: string): IdxArray {
  if (bytes.length < 4)
    throw new IdxFormatError(
      file,
      0,
      `file is ${bytes.length} bytes, too short for the 4-byte IDX magic number`,
    );
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    throw new IdxFormatError(file, 0, 'data is gzip-compressed; decompress it before parsing');
  }
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new IdxFormatError(
      file,
      0,
      `magic number must start with two zero bytes, got 0x${hex(bytes[0]!)} 0x${hex(bytes[1]!)}`,
    );
  }
  const code = bytes[2]!;
  const type = IDX_TYPES[code as IdxTypeCode];
  if (!type) {
    throw new IdxFormatError(
      file,
      2,
      `unknown element type 0x${hex(code)} (expected 0x08 uint8, 0x09 int8, 0x0b int16, 0x0c int32, 0x0d float32 or 0x0e float64)`,
    );
  }
  const rank = bytes[3]!;
  if (rank === 0) throw new IdxFormatError(file, 3, 'number of dimensions is 0');
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) {
    throw new IdxFormatError(
      file,
      bytes.length,
      `header declares ${rank} dimensions (${headerBytes} header bytes) but the file ends after ${bytes.length} bytes`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  for (let d = 0; d < rank; d++) shape.push(view.getUint32(4 + 4 * d, false));
  const count = shape.reduce((a, b) => a * b, 1);
  const expected = headerBytes + count * type.bytes;
  if (bytes.length !== expected) {
    const what = bytes.length < expected ? 'truncated' : 'has trailing bytes';
    throw new IdxFormatError(
      file,
      Math.min(bytes.length, expected),
      `${what}: dimensions ${shape.join(' x ')} of ${type.name} need ${expected} bytes (${headerBytes} header + ${count * type.bytes} data), file has ${bytes.length}`,
    );
  }
  return {
    dtype: type.name,
    shape,
    data: readValues(view, headerBytes, count, code as IdxTypeCode, bytes),
  };
}

function readValues(
  view: DataView,
  offset: number,
  count: number,
  code: IdxTypeCode,
  bytes: Uint8Array,
): IdxArray['data'] {
  switch (code) {
    case 0x08:
      return bytes.subarray(offset, offset + count);
    case 0x09:
      return new Int8Array(bytes.buffer, bytes.byteOffset + offset, count);
    case 0x0b:
      return Int16Array.from({ length: count }, (_, i) => view.getInt16(offset + 2 * i, false));
    case 0x0c:
      return Int32Array.from({ length: count }, (_, i) => view.getInt32(offset + 4 * i, false));
    case 0x0d:
      return Float32Array.from({ length: count }, (_, i) => view.getFloat32(offset + 4 * i, false));
    case 0x0e:
      return Float64Array.from({ length: count }, (_, i) => view.getFloat64(offset + 8 * i, false));
  }
}

/**
 * Encodes an array as IDX bytes (used to write test fixtures and exported subsets).
 * Length = 4 + 4 * rank + values * bytes per value: a uint8 [2, 3] array takes 4 + 8 + 6 = 18
 * bytes, starting 0, 0, 0x08, 2 (zero, zero, type code, rank).
 */
export function encodeIdx(array: IdxArray): Uint8Array {
  const entry = Object.entries(IDX_TYPES).find(([, t]) => t.name === array.dtype);
  if (!entry) throw new Error(`encodeIdx: unsupported dtype ${array.dtype}`);
  const [code, type] = entry;
  const header = 4 + 4 * array.shape.length;
  const count = array.shape.reduce((a, b) => a * b, 1);
  if (array.data.length !== count)
    throw new Error(
      `encodeIdx: shape [${array.shape}] needs ${count} values, got ${array.data.length}`,
    );
  const out = new Uint8Array(header + count * type.bytes);
  const view = new DataView(out.buffer);
  out[2] = Number(code);
  out[3] = array.shape.length;
  array.shape.forEach((d, i) => {
    view.setUint32(4 + 4 * i, d, false);
  });
  for (let i = 0; i < count; i++) {
    const v = array.data[i]!;
    const at = header + i * type.bytes;
    if (type.name === 'uint8') view.setUint8(at, v);
    else if (type.name === 'int8') view.setInt8(at, v);
    else if (type.name === 'int16') view.setInt16(at, v, false);
    else if (type.name === 'int32') view.setInt32(at, v, false);
    else if (type.name === 'float32') view.setFloat32(at, v, false);
    else view.setFloat64(at, v, false);
  }
  return out;
}

function hex(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}
