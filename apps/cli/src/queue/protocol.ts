import { z } from 'zod';
import { KEY_PREFIX } from './connection.js';

/**
 * What the coordinator (`tunelab sweep --queue`) and the workers (`tunelab worker`) exchange
 * through Redis, declared once for both sides: the job's data, the snapshots of a run
 * directory a worker uploads, and the record of each attempt.
 */

/**
 * A trial as a BullMQ job: the experiment to train (already planned and validated by the
 * coordinator) and the epoch target. The worker trains it exactly as `tunelab sweep` would.
 */
export const trialJobSchema = z.object({
  /** The sweep's folder name on the coordinator, e.g. 'sweep-mini-1a2b3c4d'. */
  sweep: z.string().min(1),
  /** The trial id, also its run directory's name: 't01'. */
  trial: z.string().regex(/^[\w.-]+$/),
  /** The trial's label, for workers' output. */
  label: z.string(),
  /** Epochs the trial should reach (its own, or a successive-halving rung). */
  epochs: z.number().int().positive(),
  /** The trial's experiment as JSON (what the local sweep writes to .trials/<id>.json). */
  experiment: z.record(z.string(), z.unknown()),
});
/** The data of a trial job. */
export type TrialJob = z.infer<typeof trialJobSchema>;

/** One file of a snapshot: where it goes below the sweep folder, and how to check it arrived whole. */
export const fileRefSchema = z.object({
  /** Path below the sweep folder: 't01/run.json', 't01/artifacts/model.safetensors', 'logs/t01.log'. */
  path: z.string(),
  /** Bytes. */
  size: z.number().int().nonnegative(),
  /** SHA-256 of the bytes (hex); also the blob's key in Redis. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
/** A file of a snapshot. */
export type FileRef = z.infer<typeof fileRefSchema>;

/**
 * The latest state of a trial's run directory that a worker uploaded: after every epoch
 * (run.json, metrics.jsonl, the checkpoint, the log) and once at the end (every file).
 */
export const snapshotSchema = z.object({
  /** Increases with every snapshot of the job; the coordinator copies each one once. */
  seq: z.number().int().nonnegative(),
  /** The attempt that wrote it ({@link attemptSchema} id). */
  attempt: z.string(),
  /** True for the last snapshot of an attempt that ended (completed, failed or interrupted). */
  final: z.boolean(),
  /** Epochs finished. */
  epoch: z.number().int().nonnegative(),
  /** The last epoch line train printed ('epoch 2/3  train loss ...'), if any. */
  line: z.string().optional(),
  /** The files, all of which exist as blobs while this snapshot is the trial's latest. */
  files: z.array(fileRefSchema),
});
/** A snapshot of a trial's run directory. */
export type Snapshot = z.infer<typeof snapshotSchema>;

// An attempt's record lives in sweep.json, so its schema is part of the record contract.
export {
  attemptOutcomeSchema,
  type TrialAttempt,
  trialAttemptSchema as attemptSchema,
} from '@tunelab/core/record';

/** What a finished job returns (BullMQ keeps it as the job's return value). */
export const jobResultSchema = z.object({
  /** The snapshot holding the finished run directory. */
  seq: z.number().int().nonnegative(),
  /** The run's status: 'completed' or 'stopped'. */
  status: z.string(),
});
/** The return value of a trial job. */
export type JobResult = z.infer<typeof jobResultSchema>;

/**
 * Attempts of a trial job, retries and stalls (the numbers the docs state):
 * a job that throws is tried {@link JOB_ATTEMPTS} times in all, waiting 5 s then 10 s
 * (exponential backoff); a failure that train recorded in run.json (NaN loss, bad config)
 * is deterministic and is not retried. A job whose worker vanished is handed to another
 * worker up to {@link MAX_STALLED} times.
 */
export const JOB_ATTEMPTS = 3;
/** First backoff between attempts, in ms (then doubled). */
export const JOB_BACKOFF_MS = 5_000;
/** Times a trial may lose its worker (SIGKILL, machine gone) and still be handed to another. */
export const MAX_STALLED = 3;

/** The BullMQ job id of a trial: '<sweep>.<trial>' (plus '.e<N>' for a halving rung's target). */
export function trialJobId(sweep: string, trial: string, rung?: number): string {
  // BullMQ refuses ':' in custom ids; sweep folder names are plain, but be sure.
  const safe = sweep.replace(/[^\w.-]/g, '_');
  return rung === undefined ? `${safe}.${trial}` : `${safe}.${trial}.e${rung}`;
}

/** Redis keys of one job's files and attempts (next to BullMQ's own, under the same prefix). */
export function trialKeys(jobId: string) {
  const base = `${KEY_PREFIX}:files:${jobId}`;
  return {
    /** The latest {@link Snapshot} (JSON). */
    snapshot: `${base}:snapshot`,
    /** Fencing counter: each attempt takes the next number; only the newest may write. */
    fence: `${base}:fence`,
    /** Hash attempt id -> {@link TrialAttempt} JSON. */
    attempts: `${base}:attempts`,
    /** Set by the coordinator once it has recorded the job's end ('completed' or 'failed'). */
    collected: `${base}:collected`,
    /** Set of the blob hashes stored for this job (for clean-up). */
    blobs: `${base}:blobs`,
    /** The blob of one file's bytes, by SHA-256. */
    blob: (sha256: string) => `${base}:blob:${sha256}`,
  };
}
/** The keys of a job ({@link trialKeys}). */
export type TrialKeys = ReturnType<typeof trialKeys>;
