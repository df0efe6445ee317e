import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { RUN_FILES } from '@tunelab/core/record';
import type { Redis } from 'ioredis';
import { dropBlobs, getBlobs, putBlobs } from './blobs.js';
import { type Snapshot, snapshotSchema, type TrialKeys } from './protocol.js';

/** The checkpoint a resumed attempt continues from (written by train after every epoch). */
const CHECKPOINT = `${RUN_FILES.artifacts}/checkpoint.safetensors`;

/** Where a trial's log lives below the sweep folder, as in a local sweep. */
export function logPath(trial: string): string {
  return `logs/${trial}.log`;
}

/**
 * The files of a trial below a sweep folder that a snapshot carries: after an epoch what a
 * resume needs (run.json, metrics.jsonl, the checkpoint) and the log; at the end every file
 * of the run directory. metrics.jsonl is cut after its last complete line (train may be
 * appending to it).
 */
export function collectFiles(
  sweepDir: string,
  trial: string,
  all: boolean,
): Array<{ path: string; bytes: Buffer }> {
  const runDir = join(sweepDir, trial);
  const names = all
    ? listFiles(runDir)
    : [RUN_FILES.record, RUN_FILES.metrics, CHECKPOINT].filter((f) => existsSync(join(runDir, f)));
  const files = names.map((name) => {
    let bytes = readFileSync(join(runDir, name));
    if (name === RUN_FILES.metrics) bytes = bytes.subarray(0, bytes.lastIndexOf(10) + 1);
    return { path: `${trial}/${name}`, bytes };
  });
  const log = join(sweepDir, logPath(trial));
  if (existsSync(log)) files.push({ path: logPath(trial), bytes: readFileSync(log) });
  return files;
}

/** Every file below `dir`, as '/'-separated paths relative to it. */
function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => relative(dir, join(d.parentPath, d.name)).split(sep).join('/'))
    .sort();
}

/**
 * Only the newest attempt may replace the snapshot: a worker that lost its job (its lock
 * expired while it was cut off) finds the fence moved on and stops writing.
 */
const FENCED_SET = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[2], ARGV[2])
  return 1
end
return 0`;

/** Thrown by {@link writeSnapshot} when a newer attempt owns the trial. */
export class FencedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FencedError';
  }
}

/**
 * Uploads `files` as blobs, then makes them the job's latest snapshot (only while `fence`
 * is the job's current fence; `fence` null writes unconditionally, as the coordinator does
 * when it seeds a trial from its own run directory), then drops the blobs no longer used.
 */
export async function writeSnapshot(
  redis: Redis,
  keys: TrialKeys,
  files: ReadonlyArray<{ path: string; bytes: Uint8Array }>,
  meta: Omit<Snapshot, 'files'>,
  fence: number | null,
): Promise<Snapshot> {
  const refs = await putBlobs(redis, keys, files);
  const snapshot: Snapshot = { ...meta, files: refs };
  const json = JSON.stringify(snapshot);
  if (fence === null) await redis.set(keys.snapshot, json);
  else if (!(await redis.eval(FENCED_SET, 2, keys.fence, keys.snapshot, String(fence), json)))
    throw new FencedError(`${keys.snapshot}: another attempt took over this trial`);
  await dropBlobs(redis, keys, refs);
  return snapshot;
}

/** The job's latest snapshot, or null when none was written (or it was collected). */
export async function readSnapshot(redis: Redis, keys: TrialKeys): Promise<Snapshot | null> {
  const text = await redis.get(keys.snapshot);
  if (text === null) return null;
  const parsed = snapshotSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${keys.snapshot}: not a tunelab snapshot`);
  return parsed.data;
}

/**
 * Checks that a snapshot path stays inside the trial's own files ('t01/...' or its log):
 * what a worker sends never writes elsewhere in the coordinator's folder.
 */
export function checkPath(trial: string, path: string): string {
  const parts = path.split('/');
  const plain = parts.every((p) => /^[\w.-]+$/.test(p) && p !== '.' && p !== '..');
  if (!plain || (parts[0] !== trial && path !== logPath(trial)))
    throw new Error(
      `snapshot of ${trial}: refusing file "${path}" outside the trial's run directory`,
    );
  return path;
}

/**
 * Downloads the files of `snapshot` (each checked for size and SHA-256) and hands each to
 * `write` (relative path, bytes) in the snapshot's order.
 */
export async function fetchSnapshot(
  redis: Redis,
  keys: TrialKeys,
  snapshot: Snapshot,
  trial: string,
): Promise<Array<{ path: string; bytes: Buffer }>> {
  for (const ref of snapshot.files) checkPath(trial, ref.path);
  const bytes = await getBlobs(redis, keys, snapshot.files);
  return snapshot.files.map((ref, i) => ({ path: ref.path, bytes: bytes[i]! }));
}

/** Writes files below `root` (a worker's scratch folder: plain writes, it is not the record). */
export function writeScratch(root: string, files: ReadonlyArray<{ path: string; bytes: Buffer }>) {
  for (const f of files) {
    const target = join(root, f.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, f.bytes);
  }
}
