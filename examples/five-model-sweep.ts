/**
 * The five-model sweep: learning curves for every (model, setting) and the summary table
 * (USECASES sections 4 and 5).
 *
 * It runs the sweep of examples/coursework-sweep.ts (five models of growing capacity as
 * columns, three (epochs, learning rate) settings as rows, evaluated every 20,000 training
 * samples on 20% of the training set and on the validation set) with the pieces the CLI's
 * `tunelab sweep` uses, in this process: a zoo model, `fit`, a run directory per trial
 * written by `recordRun`, then `sweepGridSpec` and `summaryTable` from the run records.
 * The test split is never read: the table's test column stays empty until one chosen trial
 * is evaluated (`tunelab eval <trial dir> --split test`).
 * Output: examples/output/five-model-sweep/ (runs/, curves.svg/png, summary.md).
 *
 *   node --import jiti/register examples/five-model-sweep.ts          # 1 epoch of 1,024 images per trial
 *   node --import jiti/register examples/five-model-sweep.ts --full   # as the experiment says (56,000 images)
 * or through the CLI, with worker processes: tunelab sweep examples/coursework-sweep.ts
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fit, type Module, Rng, softmaxCrossEntropy } from '@tunelab/core';
import { describeEnvironment, RunWriter, readRun, recordRun } from '@tunelab/core/node';
import { evaluationSubset } from '@tunelab/datasets';
import { buildZooModel, mlp, type ZooName } from '@tunelab/layers';
import { momentum } from '@tunelab/optimizers';
import { type RunForReport, summaryTable, sweepGridSpec, toMarkdown } from '@tunelab/reports';
import coursework from './coursework-sweep.js';
import { useBackend } from './lib/backend.js';
import { logger, type RunOptions, runWhenMain } from './lib/cli.js';
import { fashionSplit } from './lib/fashion.js';
import { outputDir, writeChart } from './lib/output.js';

/** A model axis entry of the experiment: `{ model: { name, hidden? }, label }`. */
type ModelEntry = { model: { name: string; hidden?: number[] }; label: string };
/** A setting axis entry: `{ epochs, 'optimizer.lr', label }`. */
type SettingEntry = { epochs: number; 'optimizer.lr': number; label: string };

function buildModel(spec: ModelEntry['model'], rng: Rng): Module {
  // As the CLI does: an MLP with its own widths, else the zoo model by name.
  return spec.name === 'mlp' && spec.hidden
    ? mlp({ inputShape: [28, 28, 1], hidden: spec.hidden, classes: 10, seed: rng })
    : buildZooModel(spec.name as ZooName, { inputShape: [28, 28, 1], classes: 10, seed: rng });
}

export async function run(options: RunOptions) {
  const log = logger(options);
  const backend = await useBackend('fast');
  const models = coursework.sweep!.axes!.model as unknown as ModelEntry[];
  const settings = coursework.sweep!.axes!.setting as unknown as SettingEntry[];
  const data = fashionSplit({
    seed: coursework.seed,
    limit: options.reduced ? { train: 1_024, eval: 256 } : undefined,
  });
  // 20% of the training set for the periodic training-metric estimate.
  const trainEstimate = data.train.subset(evaluationSubset(data.train.size, 0.2, coursework.seed!));
  const everySamples = options.reduced ? 512 : coursework.evaluation!.everySamples!;
  const dir = outputDir('five-model-sweep');
  const runsDir = join(dir, 'runs');
  rmSync(runsDir, { recursive: true, force: true });

  const trialDirs: string[] = [];
  for (const [row, setting] of settings.entries()) {
    for (const [column, entry] of models.entries()) {
      const epochs = options.reduced ? 1 : setting.epochs;
      const lr = setting['optimizer.lr'];
      const config = {
        model: { ...entry.model },
        epochs,
        lr,
        modelLabel: entry.label,
        setting: setting.label,
      };
      const writer = RunWriter.create(runsDir, {
        id: `trial-${row}-${column}`,
        name: `${entry.label} / ${setting.label}`,
        config,
        seed: coursework.seed!,
        environment: describeEnvironment(backend),
        epochs,
      });
      const rng = Rng.fromSeed(coursework.seed!);
      const model = buildModel(entry.model, rng.fork('init'));
      const history = await fit(model, {
        train: data.train,
        validation: data.validation,
        loss: softmaxCrossEntropy,
        optimizer: momentum({ lr, momentum: 0.9 }),
        epochs,
        batchSize: coursework.batchSize!,
        rng: rng.fork('batches'),
        evaluateEvery: { samples: everySamples, train: trainEstimate },
        callbacks: [recordRun(writer)],
      });
      model.dispose();
      trialDirs.push(writer.dir);
      const last = history.epochs.at(-1)!.metrics;
      log(
        `${entry.label.padEnd(12)} ${setting.label.padEnd(20)} ${epochs} epoch(s): val accuracy ${last.valAccuracy!.toFixed(3)}`,
      );
    }
  }

  // Reports read the run directories, as `tunelab report` does.
  const runs = trialDirs.map(readRun);
  const label = (key: 'modelLabel' | 'setting') => (r: RunForReport) =>
    String(r.record.config[key]);
  const table = summaryTable(runs, { model: label('modelLabel'), setting: label('setting') });
  const markdown = toMarkdown(table);
  writeFileSync(join(dir, 'summary.md'), markdown);
  const chart = await writeChart(
    dir,
    'curves',
    sweepGridSpec(
      runs.map((r) => ({
        column: label('modelLabel')(r),
        row: label('setting')(r),
        metrics: r.metrics,
      })),
      { title: 'Fashion-MNIST: five models, three settings', metric: 'accuracy' },
    ),
  );
  log(`\n${markdown}`);
  log(`curves: ${chart.png}`);

  const best = runs.reduce((a, b) =>
    (b.record.best?.value ?? 0) > (a.record.best?.value ?? 0) ? b : a,
  );
  log(`best by validation accuracy: ${best.record.name} (the test split stays unread)`);
  return {
    trials: runs.length,
    columns: models.map((m) => m.label),
    rows: settings.map((s) => s.label),
    samplesPerTrial: runs.map((r) => r.metrics.filter((e) => e.kind === 'epoch').at(-1)!.samples),
    evaluationsPerTrial: runs.map((r) => r.metrics.filter((e) => e.kind === 'evaluation').length),
    tableRows: table.rows.length,
    testColumn: table.rows.map((r) => r.testAccuracy),
    markdown,
    best: best.record.name,
    chart,
  };
}

runWhenMain(import.meta.url, run);
