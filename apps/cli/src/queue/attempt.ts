import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { parseRunRecord, RUN_FILES, type RunRecord } from '@tunelab/core/record';
import { type Job, UnrecoverableError } from 'bullmq';
import type { Redis } from 'ioredis';
import { spawnTrain } from '../train/spawn.js';
import {
  type JobResult,
  type TrialAttempt,
  type TrialJob,
  trialJobSchema,
  trialKeys,
} from './protocol.js';
import {
  collectFiles,
  FencedError,
  fetchSnapshot,
  logPath,
  readSnapshot,
  writeScratch,
  writeSnapshot,
} from './snapshot.js';

/** What a worker brings to each attempt. */
export interface AttemptContext {
  /** Connection for the trial's files and attempts. */
  redis: Redis;
  /** The worker's name, recorded with each attempt. */
  worker: string;
  /** Scratch folder: `<workDir>/<sweep>/` mirrors the coordinator's sweep folder. */
  workDir: string;
  /** Backend for train (else the experiment's, else train's automatic choice). */
  backend?: string;
  /** Dataset folder on this machine (overrides the experiment's data.path). */
  data?: string;
  /** Trials this worker runs at once. */
  concurrency: number;
  /** Lines for the worker's output. */
  print: (line: string) => void;
}

/** Train stopped before its target because it was asked to (the worker is shutting down). */
export class AttemptInterrupted extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AttemptInterrupted';
  }
}

/**
 * Runs one attempt of a trial job: takes the next fence number, downloads the trial's last
 * snapshot when there is one (a resumed attempt continues the run from its checkpoint, like
 * `train --resume`), runs `tunelab train` in the scratch folder, uploads a snapshot after
 * every epoch line and all the run's files at the end. Resolves with the final snapshot's seq;
 * throws BullMQ's UnrecoverableError for a failure train recorded (NaN, all layers frozen)
 * and a plain Error (retried) when train stopped without recording one.
 */
export async function runAttempt(
  job: Job,
  ctx: AttemptContext,
  signal: AbortSignal | undefined,
): Promise<JobResult> {
  const data: TrialJob = trialJobSchema.parse(job.data);
  const keys = trialKeys(job.id!);
  const { redis } = ctx;
  // The queue's own cost (downloads, uploads, bookkeeping) is all of an attempt but train's run.
  const began = performance.now();
  const fence = await redis.incr(keys.fence);
  const dir = join(ctx.workDir, data.sweep);
  const runDir = join(dir, data.trial);
  rmSync(runDir, { recursive: true, force: true });
  rmSync(join(dir, logPath(data.trial)), { force: true });
  mkdirSync(join(dir, 'logs'), { recursive: true });

  let snapshot = await readSnapshot(redis, keys);
  let seq = snapshot?.seq ?? 0;
  if (snapshot) writeScratch(dir, await fetchSnapshot(redis, keys, snapshot, data.trial));
  const previous = existsSync(join(runDir, RUN_FILES.record)) ? readRecord(runDir) : null;

  const attempt: TrialAttempt = {
    id: `${ctx.worker}#${fence}`,
    job: job.id!,
    number: fence,
    worker: ctx.worker,
    host: hostname(),
    fromEpoch: previous?.progress.epoch ?? 0,
    startedAt: new Date().toISOString(),
    outcome: 'running',
  };
  const saveAttempt = () => redis.hset(keys.attempts, attempt.id, JSON.stringify(attempt));
  await saveAttempt();
  const say = (line: string) => ctx.print(`${data.sweep} ${data.trial} ${line}`);
  say(
    `attempt ${fence}: ${previous ? `resuming after epoch ${attempt.fromEpoch}` : 'starting'} (${data.label}), target ${data.epochs} epochs`,
  );

  // A previous attempt finished the run but its worker vanished before the job was marked done.
  if (previous && isFinished(previous, data.epochs) && snapshot?.final) {
    attempt.outcome = 'completed';
    attempt.endedAt = new Date().toISOString();
    await saveAttempt();
    return { seq: snapshot.seq, status: previous.status };
  }

  const trialFile = join(dir, '.trials', `${data.trial}.json`);
  mkdirSync(join(dir, '.trials'), { recursive: true });
  writeFileSync(trialFile, `${JSON.stringify(data.experiment, null, 2)}\n`);
  const backend = ctx.backend ? ['--backend', ctx.backend] : [];
  if (previous && ctx.data) {
    // The run was started where the data lives elsewhere: train --resume reads data.path from run.json.
    const record = JSON.parse(readFileSync(join(runDir, RUN_FILES.record), 'utf8'));
    record.config.data = { ...record.config.data, path: ctx.data };
    writeFileSync(join(runDir, RUN_FILES.record), `${JSON.stringify(record, null, 2)}\n`);
  }
  const args = previous
    ? ['train', '--resume', runDir, '--epochs', String(data.epochs), ...backend]
    : [
        'train',
        trialFile,
        '--out',
        dir,
        '--run-id',
        data.trial,
        '--epochs',
        String(data.epochs),
        ...backend,
        ...(ctx.data ? ['--data', ctx.data] : []),
      ];
  const log = join(dir, logPath(data.trial));
  appendFileSync(
    log,
    `# attempt ${fence} on ${attempt.host} (worker ${ctx.worker}) at ${attempt.startedAt}: tunelab ${args.join(' ')}\n`,
  );

  // Snapshots go up one at a time; epoch lines that arrive meanwhile coalesce into the next.
  let uploading: Promise<void> = Promise.resolve();
  let wanted: { epoch: number; line: string } | null = null;
  let lostFence = false;
  // train's last words: 'error: <message>' and any lines after it (a list of folders looked in).
  let errorLines: string[] = [];
  const upload = (final: boolean, epoch: number, line?: string) =>
    writeSnapshot(
      redis,
      keys,
      collectFiles(dir, data.trial, final),
      { seq: ++seq, attempt: attempt.id, final, epoch, ...(line ? { line } : {}) },
      fence,
    );
  const pump = (): Promise<void> =>
    (uploading = uploading.then(async () => {
      const next = wanted;
      wanted = null;
      if (!next || lostFence) return;
      try {
        snapshot = await upload(false, next.epoch, next.line);
        await job.updateProgress({ epoch: next.epoch, epochs: data.epochs, line: next.line });
      } catch (error) {
        if (error instanceof FencedError) {
          lostFence = true;
          train.stop();
        }
        say(`snapshot not uploaded: ${(error as Error).message}`);
      }
    }));

  const spawned = performance.now();
  const train = spawnTrain(args, {
    log,
    concurrency: ctx.concurrency,
    onLine: (line) => {
      const chosen = /^backend: (\S+)/.exec(line);
      if (chosen && !attempt.backend) {
        attempt.backend = chosen[1]!;
        void saveAttempt();
      }
      const epoch = /^epoch (\d+)\/\d+/.exec(line);
      if (epoch) {
        say(line);
        wanted = { epoch: Number(epoch[1]), line };
        void pump();
      }
      if (/^error: /.test(line)) errorLines = [line.slice(7)];
      else if (errorLines.length > 0 && errorLines.length < 8 && line.trim())
        errorLines.push(line.trim());
    },
  });
  const onAbort = () => train.stop();
  signal?.addEventListener('abort', onAbort);
  const code = await train.exit;
  const trained = (performance.now() - spawned) / 1000;
  signal?.removeEventListener('abort', onAbort);
  await uploading;

  const record = existsSync(join(runDir, RUN_FILES.record)) ? readRecord(runDir) : null;
  const end = async (outcome: TrialAttempt['outcome'], error?: string) => {
    attempt.outcome = outcome;
    attempt.endedAt = new Date().toISOString();
    if (error) attempt.error = error;
    await saveAttempt();
  };
  if (lostFence) {
    await end('lost', 'another worker took over this trial');
    throw new Error(`${data.trial}: another worker took over this trial`);
  }
  // The final snapshot: every file of the run directory, and the complete log.
  snapshot = await upload(true, record?.progress.epoch ?? 0);
  const finished = code === 0 && record && isFinished(record, data.epochs);
  if (finished) {
    await end('completed');
    rmSync(runDir, { recursive: true, force: true });
    const total = (performance.now() - began) / 1000;
    say(
      `${record.status} after ${record.progress.epoch} epochs; train ran ${trained.toFixed(1)} s, the queue's part took ${(total - trained).toFixed(2)} s`,
    );
    return { seq: snapshot.seq, status: record.status };
  }
  if (record?.status === 'interrupted' || code === 130) {
    await end('interrupted');
    throw new AttemptInterrupted(
      `${data.trial}: train was interrupted after epoch ${record?.progress.epoch ?? 0}`,
    );
  }
  const reason =
    record?.status === 'failed'
      ? (record.error?.message ?? 'failed')
      : errorLines.join(' ') ||
        `tunelab train exited with ${code === null ? 'a signal' : `code ${code}`}`;
  await end('failed', reason);
  say(`failed: ${reason}`);
  // Recorded by train (NaN loss, all layers frozen): the same on any worker. Refused before a
  // run started (exit 2 with no record: the coordinator validated the experiment, so what is
  // left is this machine's data, files or folders) or anything else (killed by the OS, a
  // backend that did not load) may pass elsewhere: retried, a bounded number of times.
  if (record?.status === 'failed') throw new UnrecoverableError(reason);
  throw new Error(reason);
}

/** The run record of a scratch run directory. */
function readRecord(runDir: string): RunRecord {
  const path = join(runDir, RUN_FILES.record);
  return parseRunRecord(JSON.parse(readFileSync(path, 'utf8')), path);
}

/** Whether a run reached its target (or a stopping criterion ended it). */
function isFinished(record: RunRecord, epochs: number): boolean {
  return (
    record.status === 'stopped' ||
    (record.status === 'completed' && record.progress.epoch >= epochs)
  );
}
