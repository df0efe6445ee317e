/**
 * Design a CNN, then tune its design ("Designing and Tuning a CNN"): the network is a layer
 * list in the experiment (no code), and the sweep varies the design itself: the filters of
 * both convolutions (8-16 or 16-32), their kernel size (3x3 or 5x5) and batch norm after each
 * (or not): 2 x 2 x 2 = 8 trials on the real Fashion-MNIST, each a run directory, then the
 * report ranks them by validation accuracy (the test split is never looked at).
 *
 * Paths with list indices pick a field of a layer ('model.layers[0].conv2d.filters'); setting
 * an entry to null removes that layer (how 'batch norm: no' drops layers 1 and 5).
 *
 *   tunelab sweep examples/design-a-cnn.ts                                   # full size
 *   node --import jiti/register examples/design-a-cnn.ts                    # reduced, through tunelab sweep
 *   node --import jiti/register examples/design-a-cnn.ts --full             # full size, through tunelab sweep
 *
 * Output: examples/output/design-a-cnn/sweep-design-a-cnn-<digest>/ (report.html, summary.csv,
 * the curve grid and one run directory per trial). Then evaluate only the winner on test:
 *   tunelab eval examples/output/design-a-cnn/sweep-design-a-cnn-<digest>/<trial> --split test
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineExperiment } from 'tunelab';
import { logger, type RunOptions, runWhenMain } from './lib/cli.js';
import { outputDir } from './lib/output.js';

export default defineExperiment({
  name: 'design-a-cnn',
  description:
    'A two-block CNN written as a layer list; the sweep varies filters, kernel size and batch norm.',
  seed: 42,
  data: { dataset: 'fashion-mnist' },
  model: {
    layers: [
      { conv2d: { filters: 16, kernel: 3, padding: 'same' } }, // 0
      { batchNorm: {} }, // 1: batch norm before the activation (Ioffe & Szegedy 2015)
      { activation: 'relu' }, // 2
      { maxPool: 2 }, // 3: 28x28 -> 14x14
      { conv2d: { filters: 32, kernel: 3, padding: 'same' } }, // 4
      { batchNorm: {} }, // 5
      { activation: 'relu' }, // 6
      { maxPool: 2 }, // 7: 14x14 -> 7x7
      { flatten: {} }, // 8
      { dropout: 0.25 }, // 9
      { dense: 'classes' }, // 10: one score per class of the data
    ],
  },
  optimizer: { name: 'adam', lr: 1e-3 },
  epochs: 5,
  batchSize: 64,
  sweep: {
    axes: {
      filters: [
        {
          'model.layers[0].conv2d.filters': 8,
          'model.layers[4].conv2d.filters': 16,
          label: '8-16',
        },
        {
          'model.layers[0].conv2d.filters': 16,
          'model.layers[4].conv2d.filters': 32,
          label: '16-32',
        },
      ],
      kernel: [
        { 'model.layers[0].conv2d.kernel': 3, 'model.layers[4].conv2d.kernel': 3, label: '3x3' },
        { 'model.layers[0].conv2d.kernel': 5, 'model.layers[4].conv2d.kernel': 5, label: '5x5' },
      ],
      'batch norm': [
        { label: 'yes' },
        { 'model.layers[1]': null, 'model.layers[5]': null, label: 'no' },
      ],
    },
    metric: 'valAccuracy',
  },
});

/** The tunelab command line this repository builds (apps/cli/dist/bin.js). */
function tunelabBin(): string {
  const pkg = createRequire(import.meta.url).resolve('tunelab/package.json');
  return join(dirname(pkg), 'dist', 'bin.js');
}

/** One row of the sweep's summary.csv, ranked best first. */
export interface RankedTrial {
  rank: number | null;
  trial: string;
  filters: string;
  kernel: string;
  batchNorm: string;
  bestValAccuracy: number | null;
}

/** Parses summary.csv (comma-separated, a header row; no field here holds a comma). */
function readSummary(file: string): RankedTrial[] {
  const [header, ...rows] = readFileSync(file, 'utf8').trim().split('\r\n');
  const names = header!.split(',');
  return rows.map((line) => {
    const cells = Object.fromEntries(line.split(',').map((v, i) => [names[i], v]));
    const num = (v: string | undefined) => (v === undefined || v === '' ? null : Number(v));
    return {
      rank: num(cells.rank),
      trial: cells.trial!,
      filters: cells.filters!,
      kernel: cells.kernel!,
      batchNorm: cells['batch norm']!,
      bestValAccuracy: num(cells['best val acc']),
    };
  });
}

/**
 * Runs this file's sweep with `tunelab sweep` (worker processes, one run directory per trial)
 * and returns the ranking of its report. Reduced: 1 epoch on 2,000 training images, validated
 * on 1,000; full size: as the experiment says (5 epochs on 56,000, validated on 7,000).
 */
export async function run(options: RunOptions) {
  const log = logger(options);
  const dir = outputDir('design-a-cnn');
  // A fresh sweep every time (tunelab sweep would otherwise resume the finished one).
  rmSync(dir, { recursive: true, force: true });
  const file = fileURLToPath(import.meta.url);
  const args = ['sweep', file, '--out', dir, '--json'];
  if (options.reduced)
    args.push('--epochs', '1', '--train-limit', '2000', '--validation-limit', '1000');
  log(`tunelab ${args.join(' ')}`);
  const sweep = spawnSync(process.execPath, [tunelabBin(), ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (sweep.status !== 0)
    throw new Error(`tunelab sweep exited ${sweep.status}: ${sweep.stderr.slice(-2000)}`);
  const out = JSON.parse(sweep.stdout) as {
    sweepDir: string;
    status: string;
    trials: Array<{ id: string; status: string; label: string }>;
    selection: { trial: string; value: number } | null;
    report: string[];
  };
  const ranking = readSummary(join(out.sweepDir, 'summary.csv'));
  log(`\n${out.trials.length} trials, ranked by validation accuracy:`);
  for (const t of ranking)
    log(
      `  ${String(t.rank ?? '-').padStart(2)}. ${t.trial}  filters ${t.filters.padEnd(5)}  kernel ${t.kernel}  batch norm ${t.batchNorm.padEnd(3)}  ${t.bestValAccuracy?.toFixed(4) ?? '-'}`,
    );
  log(`\nreport: ${join(out.sweepDir, 'report.html')}`);
  return { ...out, ranking };
}

runWhenMain(import.meta.url, run);
