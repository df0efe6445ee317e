import { mkdirSync } from 'node:fs';
import { WaitingError, Worker } from 'bullmq';
import { AttemptInterrupted, runAttempt } from './attempt.js';
import { closeRedis, connectRedis, KEY_PREFIX, QUEUE_NAME, redactUrl } from './connection.js';
import { MAX_STALLED } from './protocol.js';

/** How a `tunelab worker` runs. */
export interface QueueWorkerOptions {
  /** Redis URL (redis:// or rediss://, with the password if Redis has one). */
  url: string;
  /** The worker's name in records and on the dashboard. */
  name: string;
  /** Trials at once. */
  concurrency: number;
  /** Scratch folder for the trials being trained here. */
  workDir: string;
  /** tfjs backend for train (default: the experiment's, else train's automatic choice). */
  backend?: string;
  /** Dataset folder on this machine. */
  data?: string;
  /**
   * How long a trial stays claimed without a sign of life from its worker (ms). A killed
   * worker's trial is handed to another one after about lockDuration + stalledInterval.
   */
  lockDuration: number;
  /** How often this worker looks for trials whose worker vanished (ms). */
  stalledInterval: number;
  /** Lines for the user. */
  print: (line: string) => void;
  /** Abort to stop: running trials stop after their current batch and go back to the queue. */
  signal: AbortSignal;
}

/**
 * Takes trials from the queue and trains each with `tunelab train` on this machine until
 * `signal` aborts; then hands the trials it was training back to the queue (each resumes
 * elsewhere from its last uploaded checkpoint) and closes.
 */
export async function runQueueWorker(options: QueueWorkerOptions): Promise<void> {
  const redis = await connectRedis(options.url, { print: options.print });
  mkdirSync(options.workDir, { recursive: true });
  let stopping = false;
  // BullMQ does not close a connection it was handed: this one is closed below.
  const connection = redis.duplicate();
  const worker = new Worker(
    QUEUE_NAME,
    async (job, token, signal) => {
      try {
        return await runAttempt(
          job,
          {
            redis,
            worker: options.name,
            workDir: options.workDir,
            concurrency: options.concurrency,
            print: options.print,
            ...(options.backend ? { backend: options.backend } : {}),
            ...(options.data ? { data: options.data } : {}),
          },
          signal,
        );
      } catch (error) {
        // Stopped because this worker is closing: back to the queue without using an attempt.
        if (error instanceof AttemptInterrupted && stopping && token) {
          await job.moveToWait(token);
          throw new WaitingError();
        }
        throw error;
      }
    },
    {
      connection,
      prefix: KEY_PREFIX,
      name: options.name,
      concurrency: options.concurrency,
      lockDuration: options.lockDuration,
      stalledInterval: options.stalledInterval,
      maxStalledCount: MAX_STALLED,
      autorun: false,
    },
  );
  // A worker cut off from Redis for longer than its lock may find its trial taken over: stop it.
  worker.on('lockRenewalFailed', (ids: string[]) => {
    for (const id of ids) worker.cancelJob(id, 'lost its claim on the trial');
  });
  worker.on('error', (error) => options.print(`queue error: ${error.message}`));
  options.print(
    `worker ${options.name}: taking trials from ${redactUrl(options.url)} (${options.concurrency} at a time${options.backend ? `, backend ${options.backend}` : ''}); scratch folder ${options.workDir}`,
  );
  const stop = () => {
    stopping = true;
    options.print(`worker ${options.name}: stopping; trials in progress go back to the queue`);
    worker.cancelAllJobs('worker stopping');
    void worker.close();
  };
  if (options.signal.aborted) stop();
  else options.signal.addEventListener('abort', stop, { once: true });
  await worker.run();
  await worker.close();
  closeRedis(connection);
  closeRedis(redis);
}
