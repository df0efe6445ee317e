import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { FileRef, TrialKeys } from './protocol.js';

/**
 * Bytes per Redis command when a file goes up or comes down. A 45 MB ResNet weights file is 45
 * commands each way: none blocks Redis (single-threaded) for long, and a slow link shows progress.
 */
export const CHUNK_BYTES = 1 << 20;

/** An upload that never finished (its worker died) is dropped by Redis after this many seconds. */
const PARTIAL_TTL_S = 3600;

/** SHA-256 of bytes, hex. */
export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Stores `bytes` as the job's blob for `path` and returns its reference. Content-addressed:
 * a file already stored (the model summary, an unchanged log) is not sent again. The chunks
 * are appended to a temporary key that is renamed once complete, so a blob key always holds
 * a whole file.
 */
export async function putBlob(
  redis: Redis,
  keys: TrialKeys,
  path: string,
  bytes: Uint8Array,
): Promise<FileRef> {
  const ref: FileRef = { path, size: bytes.byteLength, sha256: sha256(bytes) };
  const key = keys.blob(ref.sha256);
  if (await redis.exists(key)) return ref;
  const partial = `${key}:partial:${randomBytes(4).toString('hex')}`;
  // An empty file still needs a key: SET '' then APPEND the chunks.
  await redis.set(partial, Buffer.alloc(0), 'EX', PARTIAL_TTL_S);
  for (let at = 0; at < bytes.byteLength; at += CHUNK_BYTES)
    await redis.append(
      partial,
      Buffer.from(
        bytes.buffer,
        bytes.byteOffset + at,
        Math.min(CHUNK_BYTES, bytes.byteLength - at),
      ),
    );
  await redis.multi().persist(partial).rename(partial, key).sadd(keys.blobs, ref.sha256).exec();
  return ref;
}

/**
 * Stores many files: those of at most one chunk (run.json, metrics.jsonl, the log, images) in
 * one round trip (`SET NX` is atomic, so a small blob key also always holds a whole file),
 * larger ones with {@link putBlob}. Returns their references in order.
 */
export async function putBlobs(
  redis: Redis,
  keys: TrialKeys,
  files: ReadonlyArray<{ path: string; bytes: Uint8Array }>,
): Promise<FileRef[]> {
  const refs = files.map((f) => ({
    path: f.path,
    size: f.bytes.byteLength,
    sha256: sha256(f.bytes),
  }));
  const small = redis.multi();
  let any = false;
  for (const [i, f] of files.entries()) {
    if (f.bytes.byteLength > CHUNK_BYTES) continue;
    const bytes = Buffer.from(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength);
    small.set(keys.blob(refs[i]!.sha256), bytes, 'NX').sadd(keys.blobs, refs[i]!.sha256);
    any = true;
  }
  if (any) await small.exec();
  for (const f of files)
    if (f.bytes.byteLength > CHUNK_BYTES) await putBlob(redis, keys, f.path, f.bytes);
  return refs;
}

/** A blob that is gone or differs from its reference (superseded, or damaged in transit). */
export class BlobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BlobError';
  }
}

/**
 * Reads a blob back in {@link CHUNK_BYTES} pieces and checks its size and SHA-256 against
 * `ref`; throws {@link BlobError} naming the file when they differ.
 */
export async function getBlob(redis: Redis, keys: TrialKeys, ref: FileRef): Promise<Buffer> {
  const key = keys.blob(ref.sha256);
  const stored = await redis.strlen(key);
  if (stored !== ref.size)
    throw new BlobError(
      `${ref.path}: blob ${ref.sha256.slice(0, 12)} holds ${stored} bytes, expected ${ref.size} (gone or superseded)`,
    );
  const parts: Buffer[] = [];
  for (let at = 0; at < ref.size; at += CHUNK_BYTES)
    parts.push(await redis.getrangeBuffer(key, at, Math.min(at + CHUNK_BYTES, ref.size) - 1));
  return check(ref, Buffer.concat(parts));
}

/** Throws {@link BlobError} unless `bytes` are those `ref` describes. */
function check(ref: FileRef, bytes: Buffer | null): Buffer {
  if (bytes === null)
    throw new BlobError(`${ref.path}: blob ${ref.sha256.slice(0, 12)} is gone (superseded)`);
  const got = sha256(bytes);
  if (bytes.byteLength !== ref.size || got !== ref.sha256)
    throw new BlobError(
      `${ref.path}: received ${bytes.byteLength} bytes with SHA-256 ${got.slice(0, 12)}, expected ${ref.size} bytes ${ref.sha256.slice(0, 12)}`,
    );
  return bytes;
}

/**
 * Reads many blobs, each checked as {@link getBlob} does: those of at most one chunk in one
 * round trip, larger ones chunk by chunk.
 */
export async function getBlobs(
  redis: Redis,
  keys: TrialKeys,
  refs: readonly FileRef[],
): Promise<Buffer[]> {
  const smallRefs = refs.filter((r) => r.size <= CHUNK_BYTES);
  const pipeline = redis.pipeline();
  for (const ref of smallRefs) pipeline.getBuffer(keys.blob(ref.sha256));
  const answers = smallRefs.length ? ((await pipeline.exec()) ?? []) : [];
  const small = new Map(
    smallRefs.map((ref, i) => [ref, check(ref, (answers[i]?.[1] as Buffer | null) ?? null)]),
  );
  const out: Buffer[] = [];
  for (const ref of refs) out.push(small.get(ref) ?? (await getBlob(redis, keys, ref)));
  return out;
}

/** Deletes the job's blobs that `keep` does not reference. */
export async function dropBlobs(
  redis: Redis,
  keys: TrialKeys,
  keep: readonly FileRef[] = [],
): Promise<void> {
  const kept = new Set(keep.map((f) => f.sha256));
  const stale = (await redis.smembers(keys.blobs)).filter((sha) => !kept.has(sha));
  if (stale.length === 0) return;
  await redis
    .multi()
    .del(...stale.map((sha) => keys.blob(sha)))
    .srem(keys.blobs, ...stale)
    .exec();
}
