import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ensureWritableFolder, FileWriteError, readRun } from '@tunelab/core/node';
import { KNOWN_DATASETS } from '@tunelab/datasets';
import { type Experiment, experimentSchema, formatIssues } from '@tunelab/experiment';
import { trainExperiment } from '@tunelab/experiment/node';
import { Command, Option } from 'commander';
import pc from 'picocolors';
import { BACKEND_NAMES, chooseBackend, describeSelection } from '../backend.js';
import { EXIT, UsageError } from '../errors.js';
import { loadExperimentFile } from '../experiment-file.js';
import { lendModules } from '../lent/modules.js';
import { fmt, progressCallback } from '../train/progress.js';
import { parseWorkers, replicaWorkerUrl } from '../train/workers.js';
import { VERSION } from '../version.js';
import { nonNegativeInt, positiveInt } from './options.js';

interface TrainFlags {
  out: string;
  resume?: string;
  runId?: string;
  backend?: string;
  seed?: number;
  epochs?: number;
  trainLimit?: number;
  validationLimit?: number;
  data?: string;
  allowPartial?: boolean;
  workers?: string;
  json?: boolean;
}

/**
 * Checks the folder a run is written into can be written: "--out /ro/runs: read-only file
 * system" (exit 2) rather than a failure after the data has loaded.
 */
export function checkWritable(option: string, dir: string): void {
  try {
    ensureWritableFolder(dir);
  } catch (error) {
    if (error instanceof FileWriteError) throw new UsageError(`${option}: ${error.message}`);
    throw error;
  }
}

/**
 * An unknown dataset name is a mistake in the experiment file: say which file and field
 * ("q.json: data.dataset: \"fashionmnist\" is neither a known dataset ... nor a file or folder").
 */
export function checkDatasetName(file: string, experiment: Experiment): void {
  const name = experiment.data.dataset;
  if (KNOWN_DATASETS[name] || existsSync(resolve(name))) return;
  throw new UsageError(
    `${file}: data.dataset: "${name}" is neither a known dataset (${Object.keys(KNOWN_DATASETS).join(', ')}) nor an existing file or folder`,
  );
}

/** The experiment of a run directory, as it was trained (validated again). */
function experimentOfRun(dir: string): {
  experiment: Experiment;
  file: string;
  run: ReturnType<typeof readRun>;
} {
  let run: ReturnType<typeof readRun>;
  try {
    run = readRun(dir);
  } catch (error) {
    throw new UsageError(`--resume ${dir}: ${(error as Error).message}`);
  }
  if (run.status === 'running') {
    const w = run.record.writer;
    throw new UsageError(
      `--resume ${dir}: the run is still being trained${w ? ` by pid ${w.pid} on ${w.host} (last heard from at ${w.heartbeatAt})` : ''}; stop that process first`,
    );
  }
  const { file, ...config } = run.record.config as { file?: string } & Record<string, unknown>;
  const parsed = experimentSchema.safeParse(config);
  if (!parsed.success) throw new UsageError(formatIssues(`${dir}/run.json config`, parsed.error));
  return { experiment: parsed.data, file: file ?? dir, run };
}

export function trainCommand(): Command {
  return new Command('train')
    .summary('train a model as an experiment file describes')
    .description(
      'Train the model of an experiment file (.ts with defineExperiment, or .json) on its dataset. ' +
        'Merges the official train/test parts, splits them with the seed (80/10/10 by default), ' +
        'trains with per-epoch validation (and periodic evaluation if the experiment asks), saves a ' +
        'checkpoint after every epoch, and writes a run directory with run.json, metrics.jsonl, ' +
        'learning curves, a confusion matrix, the model summary and the weights. The test split is ' +
        'not evaluated (use tunelab eval). Ctrl-C stops after the current batch; the run is marked ' +
        'interrupted and `tunelab train --resume <run>` continues it from its last finished epoch.',
    )
    .argument('[experiment]', 'experiment file (.ts, .mts, .js, .mjs or .json)')
    .option('-o, --out <dir>', 'folder that receives the run directory', 'runs')
    .option(
      '--resume <run>',
      'continue this run directory from its last checkpoint (with --epochs: train it further)',
    )
    .addOption(
      new Option('--run-id <id>', 'name of the run directory (used by tunelab sweep)').hideHelp(),
    )
    .option(
      '-b, --backend <name>',
      `tfjs backend: ${BACKEND_NAMES.join(', ')} or auto (default: the experiment's, else $TUNELAB_BACKEND, else the first that loads)`,
    )
    .option(
      '--seed <n>',
      'seed for split, initial weights and batch order (overrides the experiment)',
      nonNegativeInt,
    )
    .option('--epochs <n>', 'number of epochs in all (overrides the experiment)', positiveInt)
    .option(
      '--train-limit <n>',
      'use only the first N training examples after the split',
      positiveInt,
    )
    .option(
      '--validation-limit <n>',
      'validate on only the first N validation examples (a quicker, noisier look)',
      positiveInt,
    )
    .option('--data <folder>', 'folder holding the dataset files (overrides the experiment)')
    .option(
      '--allow-partial',
      'train on a dataset folder missing some of its files (recorded in the run as data.missing)',
    )
    .option(
      '--workers <n>',
      'replica threads for data-parallel training: a count (0 = one thread) or auto, one per extra core on wasm/cpu for conv models (>= 100k MACs per example and >= 2 per weight) (default: $TUNELAB_WORKERS, else auto)',
    )
    .option('--json', 'print one JSON object with the result on stdout (progress goes to stderr)')
    .addHelpText(
      'after',
      `
Examples:
  $ tunelab train quickstart.json
  $ tunelab train quickstart.json --epochs 1 --train-limit 5000 --json
  $ tunelab train --resume runs/20261123-141502-quickstart-3fa2
  $ TUNELAB_BACKEND=cpu tunelab train quickstart.json --out /tmp/runs

quickstart.json, an MLP with one hidden layer of 128 on Fashion-MNIST (split 80/10/10 with
the seed, 5 epochs of Adam); the dataset is read from the cache or a system copy, or fetched
first with tunelab data fetch fashion-mnist:
  {"name": "quickstart", "seed": 42, "data": {"dataset": "fashion-mnist", "split": [0.8, 0.1, 0.1]}, "model": {"name": "mlp", "hidden": [128]}, "optimizer": {"name": "adam", "lr": 0.001}, "epochs": 5, "batchSize": 64}

Exit codes: 0 trained (or stopped early), 1 failed (training diverged, a file could not be
written, ...), 2 bad arguments, experiment, data or --out folder, 130 interrupted.`,
    )
    .action(async (file: string | undefined, flags: TrainFlags) => {
      let experiment: Experiment;
      let path: string;
      let resume: ReturnType<typeof readRun> | undefined;
      if (flags.resume) {
        if (file)
          throw new UsageError('give either an experiment file or --resume <run>, not both');
        ({ experiment, file: path, run: resume } = experimentOfRun(flags.resume));
        if (
          flags.seed !== undefined ||
          flags.trainLimit !== undefined ||
          flags.validationLimit !== undefined ||
          flags.data !== undefined ||
          flags.allowPartial
        ) {
          throw new UsageError(
            '--resume continues a run as it was configured: only --epochs and --backend may change',
          );
        }
        checkWritable('--resume', resume.dir);
        const done = resume.record.progress.epoch;
        const target = flags.epochs ?? experiment.epochs;
        if (resume.record.status === 'completed' && target <= done) {
          throw new UsageError(
            `${flags.resume}: already completed ${done} epochs; pass --epochs N (more than ${done}) to train it further`,
          );
        }
      } else {
        if (!file) throw new UsageError('missing the experiment file (or --resume <run>)');
        ({ experiment, file: path } = await loadExperimentFile(file));
        if (flags.seed !== undefined) experiment.seed = flags.seed;
        if (flags.trainLimit !== undefined) experiment.trainLimit = flags.trainLimit;
        if (flags.validationLimit !== undefined) experiment.validationLimit = flags.validationLimit;
        if (flags.data !== undefined) experiment.data.path = flags.data;
        if (flags.allowPartial) experiment.data.allowPartial = true;
        checkDatasetName(path, experiment);
        checkWritable('--out', flags.out);
      }
      if (flags.epochs !== undefined) experiment.epochs = flags.epochs;
      if (flags.backend !== undefined) experiment.backend = flags.backend;

      const json = flags.json === true;
      const print = json
        ? (line: string) => process.stderr.write(`${line}\n`)
        : (line: string) => process.stdout.write(`${line}\n`);
      if (experiment.sweep && !flags.resume)
        print(
          pc.dim(
            'note: this file declares a sweep; training its base experiment (run tunelab sweep for the trials)',
          ),
        );
      const selection = await chooseBackend(experiment.backend);
      print(`backend: ${describeSelection(selection)}`);

      const workers = parseWorkers(flags.workers);
      const controller = new AbortController();
      const onSigint = () => {
        if (controller.signal.aborted) process.exit(EXIT.interrupted);
        process.stderr.write(
          '\ninterrupt: stopping after this batch (Ctrl-C again to quit at once)\n',
        );
        controller.abort();
      };
      process.on('SIGINT', onSigint);
      // Started by tunelab sweep (with an IPC channel): stop when the sweep goes away.
      const onDisconnect = () => controller.abort();
      process.on('disconnect', onDisconnect);
      // The sweep may have died before this listener existed: then the channel is already gone.
      if (process.env.TUNELAB_SWEEP_WORKER === '1' && !process.connected) controller.abort();
      try {
        const result = await trainExperiment(experiment, {
          outDir: flags.out,
          ...(flags.runId ? { runId: flags.runId } : {}),
          ...(resume ? { resume } : {}),
          file: path,
          selection,
          versions: { tunelab: VERSION },
          workers,
          ...(workers !== 0 ? { replicaWorker: replicaWorkerUrl() } : {}),
          alias: await lendModules(),
          print,
          callbacks: [
            progressCallback({
              stream: process.stderr,
              bar: !json && process.stderr.isTTY === true,
              print,
            }),
          ],
          signal: controller.signal,
        });
        if (json) {
          const { history: _history, ...rest } = result;
          process.stdout.write(`${JSON.stringify(rest, null, 2)}\n`);
        } else {
          const f = result.final;
          print(
            `${pc.green(result.status)}: ${result.epochs} epochs; final train loss ${fmt(f.trainLoss ?? undefined)} acc ${fmt(f.trainAccuracy ?? undefined)}, ` +
              `val loss ${fmt(f.valLoss ?? undefined)} acc ${fmt(f.valAccuracy ?? undefined)}` +
              (result.best
                ? `; best ${result.best.metric} ${fmt(result.best.value)} at epoch ${result.best.epoch}`
                : ''),
          );
          if (result.stopDetail) print(result.stopDetail);
          for (const artifact of result.artifacts) print(`wrote ${artifact}`);
        }
        if (result.status === 'interrupted') process.exitCode = EXIT.interrupted;
      } finally {
        process.off('SIGINT', onSigint);
        process.off('disconnect', onDisconnect);
      }
    });
}
