import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { toMarkdown } from '@tunelab/reports';
import { Command } from 'commander';
import pc from 'picocolors';
import { EXIT, UsageError } from '../errors.js';
import { loadExperiment } from '../experiment/load.js';
import { sweepReport } from '../report/build.js';
import { writeReport } from '../report/write.js';
import { halvingRungs, planDigest, planTrials } from '../sweep/plan.js';
import { runSweep } from '../sweep/run.js';
import { readSweepState, type SweepState, writeSweepState } from '../sweep/state.js';
import { positiveInt } from './options.js';

interface SweepFlags {
  out: string;
  parallel?: number;
  epochs?: number;
  trainLimit?: number;
  backend?: string;
  report: boolean;
  json?: boolean;
}

export function sweepCommand(): Command {
  return new Command('sweep')
    .summary('train the trials of an experiment sweep, select the best on validation')
    .description(
      "Run every trial of the experiment's sweep (axes of settings, a grid, or random search; " +
        'optionally successive halving) as worker processes, each a normal run directory under ' +
        'runs/sweep-<name>-<digest>/. Re-running the same command after a kill keeps every finished ' +
        'trial and resumes the others from their last epoch. The best trial is selected by the ' +
        'validation metric; the test split is never looked at (tunelab eval <trial> --split test, ' +
        'for the selected trial only). Writes report.html, curve grids and the summary table.',
    )
    .argument('<experiment>', 'experiment file with a sweep section')
    .option('-o, --out <dir>', 'folder that receives the sweep directory', 'runs')
    .option('-p, --parallel <n>', 'trials at once (default: one per core)', positiveInt)
    .option(
      '--epochs <n>',
      'epochs of every trial (overrides the experiment and its settings)',
      positiveInt,
    )
    .option(
      '--train-limit <n>',
      'use only the first N training examples in every trial',
      positiveInt,
    )
    .option('-b, --backend <name>', 'tfjs backend of the workers')
    .option('--no-report', 'skip writing the report at the end')
    .option('--json', 'print JSON: sweepDir, trials, selection, report files')
    .addHelpText(
      'after',
      `
Examples:
  $ tunelab sweep lr-sweep.json
  $ tunelab sweep lr-sweep.json --epochs 1 --train-limit 2000   # a quick look

lr-sweep.json, an experiment with a sweep section: one axis of two learning rates, the best
trial chosen by validation accuracy:
  {"name": "lr-sweep", "seed": 42, "data": {"dataset": "fashion-mnist"}, "model": {"name": "mlp", "hidden": [128]}, "optimizer": {"name": "adam", "lr": 0.001}, "epochs": 3, "batchSize": 64, "sweep": {"axes": {"lr": [{"optimizer.lr": 0.01, "label": "lr 0.01"}, {"optimizer.lr": 0.001, "label": "lr 0.001"}]}, "metric": "valAccuracy"}}`,
    )
    .action(async (file: string, flags: SweepFlags) => {
      const { experiment, file: path } = await loadExperiment(file);
      if (!experiment.sweep)
        throw new UsageError(
          `${file}: no sweep section (add sweep: { axes | grid | random }) - to train it once, use tunelab train`,
        );
      let trials = planTrials(experiment, experiment.sweep, file);
      if (flags.epochs !== undefined || flags.trainLimit !== undefined) {
        trials = trials.map((t) => ({
          ...t,
          experiment: {
            ...t.experiment,
            ...(flags.epochs !== undefined ? { epochs: flags.epochs } : {}),
            ...(flags.trainLimit !== undefined ? { trainLimit: flags.trainLimit } : {}),
          },
        }));
      }
      const print = flags.json
        ? (l: string) => process.stderr.write(`${l}\n`)
        : (l: string) => process.stdout.write(`${l}\n`);
      const digest = planDigest(trials);
      const dir = resolve(join(flags.out, `sweep-${experiment.name}-${digest}`));
      mkdirSync(dir, { recursive: true });
      const spec = experiment.sweep;
      const mode = spec.mode ?? (/loss|error/i.test(spec.metric) ? 'min' : 'max');
      const maxEpochs = Math.max(...trials.map((t) => t.experiment.epochs));
      let state = readSweepState(dir);
      if (state) {
        const done = state.trials.filter(
          (t) => t.status === 'done' || t.status === 'stopped',
        ).length;
        print(`resuming sweep ${dir}: ${done} of ${state.trials.length} trials finished`);
        state.status = 'running';
        for (const t of state.trials)
          if (t.status === 'running' || t.status === 'failed') t.status = 'pending';
      } else {
        state = {
          format: 'tunelab.sweep/1',
          name: experiment.name,
          file: path,
          digest,
          createdAt: new Date().toISOString(),
          updatedAt: '',
          status: 'running',
          metric: spec.metric,
          mode,
          rungs: spec.halving
            ? halvingRungs(spec.halving.minEpochs, spec.halving.eta, maxEpochs)
            : null,
          trials: trials.map((t) => ({
            id: t.id,
            label: t.label,
            axes: t.axes,
            overrides: t.overrides,
            status: 'pending',
            targetEpochs: t.experiment.epochs,
          })),
        } satisfies SweepState;
        print(
          `sweep ${dir}: ${trials.length} trials${state.rungs ? `, successive halving at epochs ${state.rungs.join(', ')} (eta ${spec.halving!.eta})` : ''}`,
        );
      }
      writeSweepState(dir, state);

      const controller = new AbortController();
      const onSigint = () => {
        if (controller.signal.aborted) process.exit(EXIT.interrupted);
        process.stderr.write(
          '\ninterrupt: stopping the trials after their current batch; re-run the same command to resume\n',
        );
        controller.abort();
      };
      process.on('SIGINT', onSigint);
      try {
        const trainArgs = flags.backend ? ['--backend', flags.backend] : [];
        await runSweep(dir, trials, state, spec.halving?.eta ?? null, {
          ...(flags.parallel ? { parallel: flags.parallel } : {}),
          trainArgs,
          print,
          signal: controller.signal,
        });
      } finally {
        process.off('SIGINT', onSigint);
      }
      if (controller.signal.aborted) {
        process.exitCode = EXIT.interrupted;
        return;
      }
      const content = sweepReport(dir);
      const files =
        flags.report && existsSync(dir)
          ? [
              ...(await writeReport([content], 'html', join(dir, 'report.html'))),
              ...(await writeReport([content], 'png', join(dir, 'report'))),
              ...(await writeReport([content], 'csv', join(dir, 'summary.csv'))),
            ]
          : [];
      if (flags.json) {
        process.stdout.write(
          `${JSON.stringify({ sweepDir: dir, status: state.status, trials: state.trials, selection: state.selection ?? null, report: files }, null, 2)}\n`,
        );
      } else {
        print('');
        print(toMarkdown(content.tables[0]!.table).trimEnd());
        print('');
        for (const note of content.notes) print(note);
        for (const f of files) print(pc.dim(`wrote ${f}`));
      }
      if (state.status === 'failed') process.exitCode = EXIT.failure;
    });
}
