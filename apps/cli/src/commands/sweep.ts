import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { toMarkdown } from '@tunelab/reports';
import { Command } from 'commander';
import pc from 'picocolors';
import { EXIT, UsageError } from '../errors.js';
import { loadExperiment } from '../experiment/load.js';
import { queueUrlOf } from '../queue/connection.js';
import { openQueueSweep } from '../queue/coordinator.js';
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
  queue?: string | boolean;
}

export function sweepCommand(): Command {
  return new Command('sweep')
    .summary('train the trials of an experiment sweep, select the best on validation')
    .description(
      "Run every trial of the experiment's sweep (axes of settings, a grid, or random search;\n" +
        'optionally successive halving) as worker processes, each a normal run directory under\n' +
        'runs/sweep-<name>-<digest>/. Re-running the same command after a kill keeps every finished\n' +
        'trial and resumes the others from their last epoch. The best trial is selected by the\n' +
        'validation metric; the test split is never looked at (tunelab eval <trial> --split test,\n' +
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
    .option(
      '--queue [url]',
      'queue the trials in Redis for `tunelab worker` processes on any number of machines and collect their runs here (redis://:password@host:6379, rediss:// for TLS; without a URL: $TUNELAB_QUEUE)',
    )
    .option('--no-report', 'skip writing the report at the end')
    .option('--json', 'print JSON: sweepDir, trials, selection, report files')
    .addHelpText(
      'after',
      '\nExample:\n  $ tunelab sweep examples/coursework-sweep.ts\n  $ tunelab sweep examples/coursework-sweep.ts --epochs 1 --train-limit 2000   # a quick look\n  $ tunelab sweep examples/coursework-sweep.ts --queue redis://:secret@lab-server:6379   # trials on workers',
    )
    .action(async (file: string, flags: SweepFlags) => {
      const { experiment, file: path } = await loadExperiment(file);
      if (!experiment.sweep)
        throw new UsageError(
          `${file}: no sweep section (add sweep: { axes | grid | random }) - to train it once, use tunelab train`,
        );
      const queueUrl = queueUrlOf(flags.queue);
      if (queueUrl && flags.backend)
        throw new UsageError(
          '--backend with --queue: each worker chooses its own (tunelab worker --backend <name>)',
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
          queueUrl
            ? '\ninterrupt: no longer following the queue\n'
            : '\ninterrupt: stopping the trials after their current batch; re-run the same command to resume\n',
        );
        controller.abort();
      };
      process.on('SIGINT', onSigint);
      // With --queue the trials run on workers; this process queues and collects them.
      const queue = queueUrl
        ? await openQueueSweep({
            url: queueUrl,
            sweepDir: dir,
            state,
            print,
            signal: controller.signal,
          })
        : null;
      try {
        const trainArgs = flags.backend ? ['--backend', flags.backend] : [];
        await runSweep(dir, trials, state, spec.halving?.eta ?? null, {
          ...(flags.parallel ? { parallel: flags.parallel } : {}),
          ...(queue ? { parallel: trials.length, runTrial: queue.runTrial } : {}),
          trainArgs,
          print,
          signal: controller.signal,
        });
      } finally {
        process.off('SIGINT', onSigint);
        await queue?.close();
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
