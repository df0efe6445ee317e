/**
 * The safetensors format (https://github.com/huggingface/safetensors#format): an 8-byte
 * little-endian header length N, N bytes of JSON mapping each tensor name to
 * { dtype, shape, data_offsets: [begin, end] } (offsets into the data that follows), an
 * optional "__metadata__" of string values, then the raw little-endian data.
 */

/** tfjs dtype <-> safetensors dtype. */
const DTYPES = {
  float32: { code: 'F32', bytes: 4 },
  int32: { code: 'I32', bytes: 4 },
  bool: { code: 'BOOL', bytes: 1 },
  uint8: { code: 'U8', bytes: 1 },
} as const;
type StoredDtype = keyof typeof DTYPES;

/** One tensor's values as stored. */
export interface StoredTensor {
  /** Element type: 'float32', 'int32' or 'uint8' (F32, I32, U8 in the file). */
  readonly dtype: StoredDtype;
  /** Dimensions ([] for a scalar). */
  readonly shape: readonly number[];
  /** The values, row-major. */
  readonly data: Float32Array | Int32Array | Uint8Array;
}

/**
 * Encodes named tensors (in the given order) with optional string metadata.
 * Layout: 8-byte little-endian header length, the JSON header, then the raw data:
 * one float32 tensor `w` of [1, 2] with metadata { note: 'x' } takes 104 bytes.
 */
export function encodeSafetensors(
  tensors: ReadonlyMap<string, StoredTensor>,
  metadata: Record<string, string> = {},
): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const [name, t] of tensors) {
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (t.data.length !== count)
      throw new Error(
        `encodeSafetensors: "${name}" has shape [${t.shape}] but ${t.data.length} values`,
      );
    const bytes = count * DTYPES[t.dtype].bytes;
    header[name] = {
      dtype: DTYPES[t.dtype].code,
      shape: [...t.shape],
      data_offsets: [offset, offset + bytes],
    };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8); // pad so the data starts 8-byte aligned
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const t of tensors.values()) {
    const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    out.set(littleEndian(bytes, DTYPES[t.dtype].bytes), at);
    at += bytes.length;
  }
  return out;
}

/** A decoded file: tensors by name (in file order) and metadata. */
export interface DecodedSafetensors {
  /** The tensors by name, in file order. */
  readonly tensors: Map<string, StoredTensor>;
  /** The header's __metadata__ strings ({} when absent). */
  readonly metadata: Record<string, string>;
}

/**
 * Decodes safetensors bytes, checking the header and every tensor's offsets; `source` names the
 * file in errors.
 * `decodeSafetensors(encodeSafetensors(tensors, { note: 'x' }), 'w.safetensors').metadata` is
 * { note: 'x' }.
 */
export function decodeSafetensors(bytes: Uint8Array, source: string): DecodedSafetensors {
  if (bytes.length < 8)
    throw new Error(
      `${source}: ${bytes.length} bytes is too short for a safetensors header length`,
    );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = Number(view.getBigUint64(0, true));
  if (8 + headerLength > bytes.length) {
    throw new Error(
      `${source}: header length ${headerLength} runs past the end of the file (${bytes.length} bytes)`,
    );
  }
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
  } catch (error) {
    throw new Error(`${source}: header is not valid JSON (${(error as Error).message})`);
  }
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  const tensors = new Map<string, StoredTensor>();
  const entries = Object.entries(header).filter(([k]) => k !== '__metadata__');
  entries.sort((a, b) => offsetsOf(a[1])[0] - offsetsOf(b[1])[0]);
  for (const [name, raw] of entries) {
    const entry = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const dtype = (Object.keys(DTYPES) as StoredDtype[]).find(
      (d) => DTYPES[d].code === entry.dtype,
    );
    if (!dtype)
      throw new Error(
        `${source}: tensor "${name}": dtype ${JSON.stringify(entry.dtype)} is not supported (F32, I32, U8, BOOL)`,
      );
    if (!Array.isArray(entry.shape) || !entry.shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new Error(
        `${source}: tensor "${name}": shape must be a list of non-negative integers, got ${JSON.stringify(entry.shape)}`,
      );
    }
    const [begin, end] = offsetsOf(entry);
    const count = (entry.shape as number[]).reduce((a, b) => a * b, 1);
    const expected = count * DTYPES[dtype].bytes;
    if (end - begin !== expected || begin < 0 || end > dataLength) {
      throw new Error(
        `${source}: tensor "${name}": data_offsets [${begin}, ${end}] do not hold ${expected} bytes of ${entry.dtype}[${entry.shape}] within ${dataLength} data bytes`,
      );
    }
    // Uint8Array.prototype.slice copies (Buffer#slice would return a view of a shared pool),
    // so each tensor owns an aligned buffer of exactly its bytes.
    const copy = littleEndian(
      Uint8Array.prototype.slice.call(bytes, dataStart + begin, dataStart + end),
      DTYPES[dtype].bytes,
    );
    const data =
      dtype === 'float32'
        ? new Float32Array(copy.buffer)
        : dtype === 'int32'
          ? new Int32Array(copy.buffer)
          : copy;
    tensors.set(name, { dtype, shape: entry.shape as number[], data });
  }
  return { tensors, metadata: (header.__metadata__ as Record<string, string> | undefined) ?? {} };
}

function offsetsOf(entry: unknown): [number, number] {
  const offsets = (entry as { data_offsets?: unknown }).data_offsets;
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(Number.isInteger))
    return [Number.NaN, Number.NaN];
  return [offsets[0], offsets[1]];
}

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Returns bytes in little-endian order (a swapped copy on a big-endian host). */
function littleEndian(bytes: Uint8Array, width: number): Uint8Array {
  if (LITTLE_ENDIAN_HOST || width === 1) return bytes;
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += width)
    for (let k = 0; k < width; k++) out[i + k] = bytes[i + width - 1 - k]!;
  return out;
}
