import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { EXIT } from '../errors.js';
import { QUEUE_ENV_VAR, queueUrlOf } from '../queue/connection.js';
import { runQueueWorker } from '../queue/worker.js';
import { positiveInt } from './options.js';

interface WorkerFlags {
  queue?: string | boolean;
  concurrency: number;
  backend?: string;
  data?: string;
  name?: string;
  workDir?: string;
  lockDuration: number;
  stalledInterval: number;
}

export function workerCommand(): Command {
  return new Command('worker')
    .summary('train the trials of queued sweeps (tunelab sweep --queue) on this machine')
    .description(
      'Take trials from the Redis queue that `tunelab sweep <experiment> --queue <url>` fills and ' +
        "train each with `tunelab train` here, on this machine's backend. Progress, a checkpoint " +
        'after every epoch and the finished run directory go back through Redis to the machine ' +
        'that runs the sweep; no shared file system is needed. Start one on each machine, as many ' +
        'as you like, at any time. If a worker dies (SIGKILL, power cut), its trial goes to another ' +
        'worker after about --lock-duration + --stalled-interval and resumes from the last ' +
        'checkpoint. Ctrl-C stops the trials in progress after their batch and hands them back.',
    )
    .option(
      '-q, --queue [url]',
      `Redis URL, the same as the sweep's (redis://:password@host:6379, rediss:// for TLS; default: $${QUEUE_ENV_VAR})`,
    )
    .option('-c, --concurrency <n>', 'trials at once on this machine', positiveInt, 1)
    .option(
      '-b, --backend <name>',
      "tfjs backend for this machine's trials (default: train's choice)",
    )
    .option(
      '--data <folder>',
      "folder holding the dataset files on this machine (overrides the experiments')",
    )
    .option('--name <name>', 'name of this worker in the sweep records (default: <host>-<pid>)')
    .option(
      '--work-dir <dir>',
      'scratch folder for trials in progress (default: <tmp>/tunelab-worker-<name>)',
    )
    .option(
      '--lock-duration <ms>',
      'how long a trial stays claimed without a sign of life from its worker',
      positiveInt,
      30_000,
    )
    .option(
      '--stalled-interval <ms>',
      'how often to look for trials whose worker vanished',
      positiveInt,
      30_000,
    )
    .addHelpText(
      'after',
      `
Examples:
  $ tunelab worker --queue redis://:secret@lab-server:6379
  $ tunelab worker --queue rediss://:secret@lab-server:6380 --backend webgpu --concurrency 2
  $ tunelab worker --queue redis://:secret@lab-server:6379 --data /srv/datasets/fashion-mnist
  $ export TUNELAB_QUEUE=redis://:secret@lab-server:6379; tunelab worker   # password off the command line`,
    )
    .action(async (flags: WorkerFlags) => {
      const url = queueUrlOf(flags.queue ?? true)!;
      const name = (flags.name ?? `${hostname()}-${process.pid}`).replace(/[^\w.-]/g, '_');
      const controller = new AbortController();
      const onSignal = () => {
        if (controller.signal.aborted) process.exit(EXIT.interrupted);
        controller.abort();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      try {
        await runQueueWorker({
          url,
          name,
          concurrency: flags.concurrency,
          workDir: resolve(flags.workDir ?? join(tmpdir(), `tunelab-worker-${name}`)),
          ...(flags.backend ? { backend: flags.backend } : {}),
          ...(flags.data ? { data: resolve(flags.data) } : {}),
          lockDuration: flags.lockDuration,
          stalledInterval: flags.stalledInterval,
          print: (line) => process.stdout.write(`${line}\n`),
          signal: controller.signal,
        });
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}
