import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { currentStatus, writeFileDurable } from '@tunelab/core/node';
import { HEARTBEAT_MS } from '@tunelab/core/record';
import { checkSelectionMetric, halvingRungs, planTrials } from '@tunelab/experiment';
import { dryRun, type PlannedRun, planDigest } from '@tunelab/experiment/node';
import { toMarkdown } from '@tunelab/reports';
import { Command } from 'commander';
import pc from 'picocolors';
import { EXIT, UsageError } from '../errors.js';
import { loadExperimentFile } from '../experiment-file.js';
import { queueUrlOf } from '../queue/connection.js';
import { openQueueSweep } from '../queue/coordinator.js';
import { type ReportContent, sweepReport } from '../report/build.js';
import { writeReport } from '../report/write.js';
import { reconcileTrials, runSweep, waitForTrialWriters } from '../sweep/run.js';
import { readSweepState, type SweepState, writeSweepState } from '../sweep/state.js';
import { positiveInt } from './options.js';
import { checkDatasetName, checkWritable } from './train.js';

interface SweepFlags {
  out: string;
  parallel?: number;
  epochs?: number;
  trainLimit?: number;
  validationLimit?: number;
  backend?: string;
  report: boolean;
  dryRun?: boolean;
  json?: boolean;
  queue?: string | boolean;
}

/** The plan of --dry-run: one line per trial, or JSON { sweepDir, trials }. */
function printDryRun(dir: string, runs: PlannedRun[], json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify({ sweepDir: dir, trials: runs }, null, 2)}\n`);
    return;
  }
  const n = (v: number) => v.toLocaleString('en-US');
  process.stdout.write(`sweep ${dir}: ${runs.length} trials (dry run: nothing trained)\n`);
  for (const r of runs)
    process.stdout.write(
      `${r.id} ${r.label}${r.title ? ` (${r.title})` : ''}: ${r.epochs} epochs at lr ${r.lr}, ${n(r.trainExamples)} training examples, ${n(r.updates)} updates of ${r.batchSize}, ${r.evaluations.length} evaluations${r.heldOut === 'test' ? ' on TEST' : ''}${r.evaluations.length ? ` (first at ${n(r.evaluations[0]!)} samples)` : ''}\n`,
    );
}

/** Every table of the report as Markdown, each under its title; returns the path. */
function writeTablesMarkdown(content: ReportContent, path: string): string {
  const text = content.tables.map((t) => `## ${t.title}\n\n${toMarkdown(t.table)}`).join('\n');
  writeFileDurable(path, `# ${content.title}\n\n${text}`);
  return path;
}

export function sweepCommand(): Command {
  return new Command('sweep')
    .summary('train the trials of an experiment sweep, select the best on validation')
    .description(
      "Run every trial of the experiment's sweep (axes of settings, a grid, an explicit list of " +
        'trials placed on named axes, or random search; optionally successive halving) as worker ' +
        'processes, each a normal run directory under runs/sweep-<name>-<digest>/, or with --queue ' +
        'on `tunelab worker` processes on other machines. Re-running the same command after a kill ' +
        'keeps every finished trial and resumes the others from their last epoch. The best trial is ' +
        'selected by the validation metric; the test split is never looked at (tunelab eval <trial> ' +
        "--split test, for the selected trial only) unless the experiment opts in with evaluation.heldOut 'test', " +
        'which every report then says. Writes report.html, report/*.png (curve grids, tables), ' +
        'summary.csv/.md and, for two axes, the accuracy table (first axis as rows, second as ' +
        'columns) as accuracy-table.csv. --dry-run prints the plan without training.',
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
    .option(
      '--validation-limit <n>',
      'validate every trial on only the first N validation examples (a quicker, noisier look)',
      positiveInt,
    )
    .option('-b, --backend <name>', 'tfjs backend of the workers')
    .option(
      '--queue [url]',
      'queue the trials in Redis for `tunelab worker` processes on any number of machines and collect their runs here (redis://:password@host:6379, rediss:// for TLS; without a URL: $TUNELAB_QUEUE)',
    )
    .option('--no-report', 'skip writing the report at the end')
    .option(
      '--dry-run',
      'print each trial (position, epochs, lr, training examples, updates, evaluation points) without training',
    )
    .option('--json', 'print JSON: sweepDir, trials, selection, report files')
    .addHelpText(
      'after',
      `
Examples:
  $ tunelab sweep lr-sweep.json
  $ tunelab sweep lr-sweep.json --epochs 1 --train-limit 2000   # a quick look
  $ tunelab sweep lr-sweep.json --dry-run                       # the plan, nothing trained
  $ tunelab sweep lr-sweep.json --queue redis://:secret@lab-server:6379   # trials on workers

lr-sweep.json, an experiment with a sweep section: one axis of two learning rates, the best
trial chosen by validation accuracy:
  {"name": "lr-sweep", "seed": 42, "data": {"dataset": "fashion-mnist"}, "model": {"name": "mlp", "hidden": [128]}, "optimizer": {"name": "adam", "lr": 0.001}, "epochs": 3, "batchSize": 64, "sweep": {"axes": {"lr": [{"optimizer.lr": 0.01, "label": "lr 0.01"}, {"optimizer.lr": 0.001, "label": "lr 0.001"}]}, "metric": "valAccuracy"}}`,
    )
    .action(async (file: string, flags: SweepFlags) => {
      const { experiment, file: path } = await loadExperimentFile(file);
      if (!experiment.sweep)
        throw new UsageError(
          `${file}: no sweep section (add sweep: { axes | grid | random }) - to train it once, use tunelab train`,
        );
      const queueUrl = queueUrlOf(flags.queue);
      if (queueUrl && flags.backend)
        throw new UsageError(
          '--backend with --queue: each worker chooses its own (tunelab worker --backend <name>)',
        );
      // With --queue the data is on the workers' machines, not necessarily here.
      if (!queueUrl) checkDatasetName(path, experiment);
      const trials = planTrials(experiment, experiment.sweep, file, {
        ...(flags.epochs !== undefined ? { epochs: flags.epochs } : {}),
        ...(flags.trainLimit !== undefined ? { trainLimit: flags.trainLimit } : {}),
        ...(flags.validationLimit !== undefined ? { validationLimit: flags.validationLimit } : {}),
      });
      checkSelectionMetric(trials, experiment.sweep.metric, file);
      const print = flags.json
        ? (l: string) => process.stderr.write(`${l}\n`)
        : (l: string) => process.stdout.write(`${l}\n`);
      const digest = planDigest(trials);
      const dir = resolve(join(flags.out, `sweep-${experiment.name}-${digest}`));
      if (flags.dryRun) {
        printDryRun(dir, dryRun(trials), flags.json === true);
        return;
      }
      checkWritable('--out', dir);
      const spec = experiment.sweep;
      const mode = spec.mode ?? (/loss|error/i.test(spec.metric) ? 'min' : 'max');
      const maxEpochs = Math.max(...trials.map((t) => t.experiment.epochs));
      let state: SweepState | null;
      try {
        state = readSweepState(dir);
      } catch (error) {
        throw new UsageError(
          `${(error as Error).message}; move the sweep folder away to start the sweep afresh`,
        );
      }
      if (state) {
        const found = currentStatus(state);
        if (found.status === 'running') {
          const w = state.writer;
          throw new UsageError(
            `${dir}: the sweep is still being run${w ? ` by pid ${w.pid} on ${w.host}` : ''}; stop that process first`,
          );
        }
        // A local sweep's trials stop once their sweep is gone; a queued sweep's go on, on the
        // workers, and are followed again below.
        const stopping = queueUrl ? [] : await waitForTrialWriters(dir, state);
        if (stopping.length)
          print(`waited for ${stopping.join(', ')} to stop (their sweep had gone away)`);
        const counts = reconcileTrials(dir, state);
        print(
          `resuming sweep ${dir} (found ${found.status}${found.note ? `: ${found.note}` : ''}): ` +
            `${counts.done} of ${state.trials.length} trials finished` +
            (counts.wasRunning
              ? `, ${counts.wasRunning} ${counts.wasRunning === 1 ? 'was' : 'were'} running`
              : '') +
            (counts.failed ? `, ${counts.failed} failed` : ''),
        );
        state.status = 'running';
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
            ...(t.title ? { title: t.title } : {}),
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
      // Trials take minutes without a change to sweep.json: the heartbeat says this process lives.
      const heartbeat = setInterval(() => {
        try {
          writeSweepState(dir, state);
        } catch {
          // A full disk: the next real write reports it; a missed heartbeat only ages the file.
        }
      }, HEARTBEAT_MS);
      heartbeat.unref();
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
          // The command line wins over the file's sweep.parallel.
          ...((flags.parallel ?? spec.parallel)
            ? { parallel: flags.parallel ?? spec.parallel }
            : {}),
          ...(queue ? { parallel: trials.length, runTrial: queue.runTrial } : {}),
          trainArgs,
          print,
          signal: controller.signal,
        });
      } finally {
        clearInterval(heartbeat);
        process.off('SIGINT', onSigint);
        await queue?.close();
      }
      if (controller.signal.aborted) {
        state.status = 'interrupted';
        writeSweepState(dir, state);
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
              writeTablesMarkdown(content, join(dir, 'summary.md')),
            ]
          : [];
      if (flags.json) {
        process.stdout.write(
          `${JSON.stringify({ sweepDir: dir, status: state.status, trials: state.trials, selection: state.selection ?? null, report: files }, null, 2)}\n`,
        );
      } else {
        for (const t of content.tables) {
          print('');
          if (t.name !== 'summary') print(t.title);
          print(toMarkdown(t.table).trimEnd());
        }
        print('');
        for (const note of content.notes) print(note);
        for (const f of files) print(pc.dim(`wrote ${f}`));
      }
      if (state.status === 'failed') process.exitCode = EXIT.failure;
    });
}
