import { Command } from 'commander';
import pc from 'picocolors';
import { BACKEND_NAMES, chooseBackend, describeSelection } from '../backend.js';
import { EXIT } from '../errors.js';
import { loadExperiment } from '../experiment/load.js';
import { fmt } from '../train/progress.js';
import { trainExperiment } from '../train/run.js';
import { nonNegativeInt, positiveInt } from './options.js';

interface TrainFlags {
  out: string;
  backend?: string;
  seed?: number;
  epochs?: number;
  trainLimit?: number;
  data?: string;
  json?: boolean;
}

export function trainCommand(): Command {
  return new Command('train')
    .summary('train a model as an experiment file describes')
    .description(
      'Train the model of an experiment file (.ts with defineExperiment, or .json) on its dataset.\n' +
        'Merges the official train/test parts, splits them with the seed (80/10/10 by default),\n' +
        'trains with per-epoch validation, and writes a run directory with run.json, metrics.jsonl,\n' +
        'a learning curve (SVG, PNG) and the final weights (safetensors). The test split is not\n' +
        'evaluated. Ctrl-C stops after the current batch and marks the run interrupted.',
    )
    .argument('<experiment>', 'experiment file (.ts, .mts, .js, .mjs or .json)')
    .option('-o, --out <dir>', 'folder that receives the run directory', 'runs')
    .option(
      '-b, --backend <name>',
      `tfjs backend: ${BACKEND_NAMES.join(', ')} or auto (default: the experiment's, else $TUNELAB_BACKEND, else the first that loads)`,
    )
    .option(
      '--seed <n>',
      'seed for split, initial weights and batch order (overrides the experiment)',
      nonNegativeInt,
    )
    .option('--epochs <n>', 'number of epochs (overrides the experiment)', positiveInt)
    .option(
      '--train-limit <n>',
      'use only the first N training examples after the split',
      positiveInt,
    )
    .option('--data <folder>', 'folder holding the dataset files (overrides the experiment)')
    .option('--json', 'print one JSON object with the result on stdout (progress goes to stderr)')
    .addHelpText(
      'after',
      `
Examples:
  $ tunelab train examples/quickstart.ts
  $ tunelab train examples/quickstart.ts --epochs 1 --train-limit 5000 --json
  $ TUNELAB_BACKEND=cpu tunelab train my-experiment.json --out /tmp/runs

Exit codes: 0 trained, 1 failed, 2 bad arguments or experiment, 130 interrupted.`,
    )
    .action(async (file: string, flags: TrainFlags) => {
      const { experiment, file: path } = await loadExperiment(file);
      if (flags.seed !== undefined) experiment.seed = flags.seed;
      if (flags.epochs !== undefined) experiment.epochs = flags.epochs;
      if (flags.trainLimit !== undefined) experiment.trainLimit = flags.trainLimit;
      if (flags.data !== undefined) experiment.data.path = flags.data;
      if (flags.backend !== undefined) experiment.backend = flags.backend;

      const json = flags.json === true;
      const print = json
        ? (line: string) => process.stderr.write(`${line}\n`)
        : (line: string) => process.stdout.write(`${line}\n`);
      const selection = await chooseBackend(experiment.backend);
      print(`backend: ${describeSelection(selection)}`);

      const controller = new AbortController();
      const onSigint = () => {
        if (controller.signal.aborted) process.exit(EXIT.interrupted);
        process.stderr.write(
          '\ninterrupt: stopping after this batch (Ctrl-C again to quit at once)\n',
        );
        controller.abort();
      };
      process.on('SIGINT', onSigint);
      try {
        const result = await trainExperiment(experiment, {
          outDir: flags.out,
          file: path,
          selection,
          print,
          progress: { stream: process.stderr, bar: !json && process.stderr.isTTY === true },
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
          for (const artifact of result.artifacts) print(`wrote ${artifact}`);
        }
        if (result.status === 'interrupted') process.exitCode = EXIT.interrupted;
      } finally {
        process.off('SIGINT', onSigint);
      }
    });
}
