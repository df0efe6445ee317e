import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileDurable } from '@tunelab/core/node';
import { RUN_FILES } from '@tunelab/core/record';
import type { Redis } from 'ioredis';
import type { TrialKeys } from './protocol.js';
import { collectFiles, fetchSnapshot, readSnapshot, writeSnapshot } from './snapshot.js';

/**
 * Copies a trial's latest snapshot into the coordinator's sweep folder if it is newer than
 * `after`; returns the snapshot (null when there is none or nothing new). Every file is
 * checked (size, SHA-256) before it is written, each write is atomic (temp file, fsync,
 * rename), and run.json goes last, so a reader never sees a record ahead of its files. The
 * record's `config.file` names the coordinator's copy of the trial's experiment, as in a
 * local sweep.
 */
export async function syncSnapshot(
  redis: Redis,
  keys: TrialKeys,
  sweepDir: string,
  trial: string,
  after: number,
) {
  const snapshot = await readSnapshot(redis, keys);
  if (!snapshot || snapshot.seq <= after) return null;
  const files = await fetchSnapshot(redis, keys, snapshot, trial);
  const record = `${trial}/${RUN_FILES.record}`;
  const ordered = [
    ...files.filter((f) => f.path !== record),
    ...files.filter((f) => f.path === record),
  ];
  for (const f of ordered) {
    const target = join(sweepDir, f.path);
    mkdirSync(dirname(target), { recursive: true });
    let bytes: Buffer = f.bytes;
    if (f.path === record) {
      const json = JSON.parse(bytes.toString('utf8'));
      json.config = { ...json.config, file: join(sweepDir, '.trials', `${trial}.json`) };
      bytes = Buffer.from(`${JSON.stringify(json, null, 2)}\n`);
    }
    writeFileDurable(target, bytes);
  }
  return snapshot;
}

/**
 * Puts the coordinator's own run directory of a trial (a halving rung's previous target, a
 * trial a local sweep started) into Redis as the job's snapshot, so the worker that takes the
 * job resumes it instead of starting over. Returns false when there is no run directory.
 */
export async function seedSnapshot(
  redis: Redis,
  keys: TrialKeys,
  sweepDir: string,
  trial: string,
): Promise<boolean> {
  const recordPath = join(sweepDir, trial, RUN_FILES.record);
  if (!existsSync(recordPath)) return false;
  const record = JSON.parse(readFileSync(recordPath, 'utf8')) as { progress?: { epoch?: number } };
  await writeSnapshot(
    redis,
    keys,
    collectFiles(sweepDir, trial, false),
    { seq: 0, attempt: 'coordinator', final: true, epoch: record.progress?.epoch ?? 0 },
    null,
  );
  return true;
}

/** Removes a collected job's snapshot and blobs from Redis (its attempts stay, for the record). */
export async function dropSnapshot(redis: Redis, keys: TrialKeys): Promise<void> {
  const shas = await redis.smembers(keys.blobs);
  await redis
    .multi()
    .del(keys.snapshot, keys.blobs, ...shas.map((sha) => keys.blob(sha)))
    .exec();
}
