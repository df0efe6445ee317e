import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { availableParallelism } from 'node:os';
import { WORKERS_ENV_VAR } from './workers.js';

/** A `tunelab train` child process (a trial of a local sweep, or of a queue worker). */
export interface TrainProcess {
  /** Resolves with the exit code (null when a signal ended it). */
  readonly exit: Promise<number | null>;
  /** Asks train to stop after its current batch (it marks the run interrupted). */
  stop(): void;
}

/** How to start train. */
export interface SpawnTrainOptions {
  /** Appends train's stdout and stderr here (the trial's log). */
  log: string;
  /** Called with each complete line train writes to stderr (progress, epoch lines, errors). */
  onLine: (line: string) => void;
  /** Trials run at once on this machine: they share the cores. */
  concurrency: number;
}

/**
 * Starts `tunelab train <args> --json` as a trial's process (local sweeps and queue workers
 * alike): this same CLI, with an IPC channel so that train stops cleanly (run marked
 * interrupted) when this process dies, and replica threads only where a trial has more than
 * one core to itself ($TUNELAB_WORKERS, when set, wins).
 */
export function spawnTrain(args: readonly string[], options: SpawnTrainOptions): TrainProcess {
  const log = createWriteStream(options.log, { flags: 'a' });
  const replicas = Math.max(
    0,
    Math.floor(availableParallelism() / Math.max(1, options.concurrency)) - 1,
  );
  const child = spawn(process.execPath, [process.argv[1]!, ...args, '--json'], {
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    env: {
      ...process.env,
      NO_COLOR: '1',
      TUNELAB_SWEEP_WORKER: '1',
      [WORKERS_ENV_VAR]: process.env[WORKERS_ENV_VAR] ?? String(replicas),
    },
  });
  let pending = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    log.write(chunk);
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) options.onLine(line);
  });
  child.stdout!.on('data', (chunk: Buffer) => log.write(chunk));
  const exit = new Promise<number | null>((resolve) => {
    child.on('close', (code) => {
      if (pending) options.onLine(pending);
      // The log is complete on disk before the final snapshot reads it.
      log.end(() => resolve(code));
    });
  });
  return {
    exit,
    stop: () => {
      if (child.exitCode === null) child.kill('SIGINT');
    },
  };
}
