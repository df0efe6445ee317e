import { basename } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Trial } from '@tunelab/experiment';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { type SweepState, type TrialState, writeSweepState } from '../sweep/state.js';
import { BlobError } from './blobs.js';
import { dropSnapshot, seedSnapshot, syncSnapshot } from './collect.js';
import { closeRedis, connectRedis, KEY_PREFIX, QUEUE_NAME, redactUrl } from './connection.js';
import {
  attemptSchema,
  JOB_ATTEMPTS,
  JOB_BACKOFF_MS,
  jobResultSchema,
  type TrialAttempt,
  type TrialJob,
  trialJobId,
  trialKeys,
} from './protocol.js';

/** What the coordinator needs to follow a sweep's trials on the queue. */
export interface QueueSweepOptions {
  /** Redis URL (redis:// or rediss://, with the password if Redis has one). */
  url: string;
  /** The sweep folder; its name is the sweep's id in the queue. */
  sweepDir: string;
  /** sweep.json's state, updated as trials are queued, taken, resumed, finished. */
  state: SweepState;
  /** Lines for the user. */
  print: (line: string) => void;
  /** Aborting stops following; the trials go on on the workers. */
  signal: AbortSignal;
  /** How often each running trial is looked at (ms; a queued one 4 times less often). Default 500. */
  pollMs?: number;
}

/** A sweep attached to the queue: `runTrial` for runSweep, and `close`. */
export interface QueueSweep {
  /**
   * Queues the trial to `epochs` (once: the job id is the sweep's id and the trial's), copies
   * each snapshot its workers upload into the sweep folder, and resolves when the job is done:
   * 0 when completed, 1 when failed, null when the coordinator is stopping.
   */
  runTrial(trial: Trial, epochs: number): Promise<number | null>;
  /** Leaves the trials' states as the queue sees them and closes the connections. */
  close(): Promise<void>;
}

/** The attempts of a trial, oldest first, with an attempt whose worker vanished marked 'lost'. */
function attemptsOf(raw: Record<string, string>, jobActive: boolean): TrialAttempt[] {
  const attempts = Object.values(raw)
    .map((text) => attemptSchema.parse(JSON.parse(text)))
    .sort((a, b) => a.number - b.number);
  return attempts.map((a, i) =>
    a.outcome === 'running' && (i < attempts.length - 1 || !jobActive)
      ? { ...a, outcome: 'lost' as const }
      : a,
  );
}

/**
 * Attaches a sweep to the queue at `url`. Re-attaching (the coordinator re-run after a stop or
 * a kill) finds each trial's job by its id: nothing is queued twice, a finished trial is
 * not run again, and the snapshots uploaded meanwhile are collected.
 */
export async function openQueueSweep(options: QueueSweepOptions): Promise<QueueSweep> {
  const redis: Redis = await connectRedis(options.url, { print: options.print });
  const queue = new Queue(QUEUE_NAME, { connection: redis, prefix: KEY_PREFIX });
  const { sweepDir, state, print, signal } = options;
  const sweepId = basename(sweepDir);
  const pollMs = options.pollMs ?? 500;
  // What was last said about each trial, and the job each trial is on now.
  const told = new Map<string, string>();
  const jobs = new Map<string, string>();
  print(`queue: ${redactUrl(options.url)}; the trials run on \`tunelab worker\` processes`);

  /** Updates a trial's state from the queue; writes sweep.json when something changed. */
  const observe = async (t: TrialState, jobId: string, jobState: string) => {
    const attempts = [
      // Attempts of the trial's earlier jobs (halving rungs) stay in its record.
      ...(t.attempts ?? []).filter((a) => a.job !== jobId),
      ...attemptsOf(await redis.hgetall(trialKeys(jobId).attempts), jobState === 'active'),
    ];
    const before = JSON.stringify([t.status, t.worker, t.attempts, t.epoch]);
    t.attempts = attempts;
    const last = attempts.at(-1);
    if (last)
      t.worker = {
        id: last.worker,
        host: last.host,
        ...(last.backend ? { backend: last.backend } : {}),
      };
    if (jobState === 'active') t.status = 'running';
    else if (['waiting', 'delayed', 'prioritized'].includes(jobState)) t.status = 'queued';
    if (JSON.stringify([t.status, t.worker, t.attempts, t.epoch]) === before) return;
    writeSweepState(sweepDir, state);
    const news = `${t.status} ${last?.id} ${last?.outcome}`;
    if (!last || told.get(t.id) === news) return;
    told.set(t.id, news);
    if (last.outcome === 'lost')
      print(`${t.id} lost its worker ${last.worker} on ${last.host}; back in the queue`);
    else if (last.outcome === 'running' && t.status === 'running')
      print(
        `${t.id} running on ${last.worker} (${last.host}${last.backend ? `, ${last.backend}` : ''})${last.fromEpoch ? `, resumed after epoch ${last.fromEpoch}` : ''}`,
      );
  };

  /**
   * Makes sure the trial's job is in the queue, once: a new job (resuming from the run
   * directory here, if any), a failed one whose failure was already recorded retried (a
   * re-run retries failed trials, like a local sweep), anything else followed as it is.
   */
  const enqueue = async (trial: Trial, epochs: number, jobId: string) => {
    const keys = trialKeys(jobId);
    let job = await queue.getJob(jobId);
    const previous = job ? await queue.getJobState(jobId) : null;
    const collected = (await redis.get(keys.collected)) !== null;
    if (job && previous === 'completed' && collected) {
      // Recorded before, yet its run directory is not complete here (deleted?): train it again.
      await job.remove();
      job = undefined;
    }
    if (!job || (previous === 'failed' && collected)) {
      await redis.del(keys.collected);
      await seedSnapshot(redis, keys, sweepDir, trial.id);
    }
    if (!job) {
      const data: TrialJob = {
        sweep: sweepId,
        trial: trial.id,
        label: trial.label,
        epochs,
        experiment: trial.experiment as unknown as Record<string, unknown>,
      };
      await queue.add('trial', data, {
        jobId,
        attempts: JOB_ATTEMPTS,
        backoff: { type: 'exponential', delay: JOB_BACKOFF_MS },
        removeOnComplete: false,
        removeOnFail: false,
      });
      print(`${trial.id} queued`);
    } else if (previous === 'failed' && collected) {
      await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
      print(`${trial.id} queued again (it failed before: ${job.failedReason})`);
    } else print(`${trial.id} re-attached (${previous})`);
  };

  const runTrial = async (trial: Trial, epochs: number): Promise<number | null> => {
    const t = state.trials.find((s) => s.id === trial.id)!;
    const jobId = trialJobId(
      sweepId,
      trial.id,
      epochs === trial.experiment.epochs ? undefined : epochs,
    );
    const keys = trialKeys(jobId);
    jobs.set(trial.id, jobId);
    await enqueue(trial, epochs, jobId);
    t.status = 'queued';
    writeSweepState(sweepDir, state);

    let synced = 0;
    const sync = async () => {
      try {
        const snapshot = await syncSnapshot(redis, keys, sweepDir, trial.id, synced);
        if (snapshot) {
          synced = snapshot.seq;
          t.epoch = snapshot.epoch;
          if (snapshot.line && !snapshot.final) print(`${trial.id} ${snapshot.line}`);
        }
      } catch (error) {
        // Superseded while it was being read: the next look gets the newer one.
        if (!(error instanceof BlobError)) throw error;
      }
    };
    /** Records the job's end: its files leave Redis, its outcome is the trial's. */
    const end = async (jobState: 'completed' | 'failed', error?: string) => {
      await dropSnapshot(redis, keys);
      await redis.set(keys.collected, jobState);
      if (error === undefined) return 0;
      t.status = 'failed';
      t.error = error;
      return 1;
    };
    while (!signal.aborted) {
      const jobState = await queue.getJobState(jobId);
      if (jobState === 'unknown') {
        // Redis lost it (restarted without its append-only file, or flushed): queue it again.
        print(`${trial.id}: its job is gone from Redis; queuing it again`);
        await enqueue(trial, epochs, jobId);
        continue;
      }
      await sync();
      await observe(t, jobId, jobState);
      if (jobState === 'failed')
        return end(jobState, (await queue.getJob(jobId))?.failedReason ?? 'failed');
      if (jobState === 'completed') {
        // The final snapshot must be here before the job's files leave Redis.
        const result = jobResultSchema.safeParse((await queue.getJob(jobId))?.returnvalue);
        const final = result.success ? result.data.seq : 0;
        for (let tries = 0; synced < final; tries++) {
          if (tries === 20)
            return end(
              jobState,
              `the files of ${jobId} did not arrive from Redis (snapshot ${final})`,
            );
          await sleep(pollMs);
          await sync();
        }
        return end(jobState);
      }
      // A trial waiting for a worker is looked at less often: 200 queued trials stay cheap.
      const wait = jobState === 'active' ? pollMs : pollMs * 4;
      await sleep(wait, undefined, { signal }).catch(() => undefined);
    }
    return null;
  };

  return {
    runTrial,
    async close() {
      if (signal.aborted) {
        // The trials go on without the coordinator: show them as the queue has them.
        for (const t of state.trials) {
          const jobId = jobs.get(t.id);
          if (!jobId) continue;
          const jobState = await queue.getJobState(jobId);
          if (jobState === 'active') t.status = 'running';
          else if (jobState === 'waiting' || jobState === 'delayed') t.status = 'queued';
        }
        writeSweepState(sweepDir, state);
        print(
          'the trials go on on the workers; re-run the same command to follow them and collect the results',
        );
      }
      await queue.close();
      closeRedis(redis);
    },
  };
}
