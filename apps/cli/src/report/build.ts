import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { currentStatus, listRuns, type RunOnDisk, readRun } from '@tunelab/core/node';
import { analyzeStopping } from '@tunelab/optimizers';
import {
  confusionMatrixSpec,
  earlyStoppingSpec,
  type GridTrial,
  heldOutSplit,
  htmlReport,
  learningCurveSpec,
  modelSummaryTable,
  type ReportBlock,
  rankTrials,
  renderSvg,
  summaryTable,
  sweepGridSpec,
  type Table,
  tableSpec,
  toHtml,
} from '@tunelab/reports';
import { readSweepState, type TrialState } from '../sweep/state.js';
import { accuracyTables, TEST_SEEN, TEST_SEEN_NOTE } from './accuracy-tables.js';

type TopLevelSpec = Parameters<typeof renderSvg>[0];

/** One picture of a report: its spec and a file name stem. */
export interface ReportImage {
  readonly name: string;
  readonly title: string;
  readonly spec: TopLevelSpec;
}

/** A report's content, before it becomes HTML, Markdown, images or CSV. */
export interface ReportContent {
  readonly title: string;
  readonly subtitle: string;
  readonly images: ReportImage[];
  /** The summary table (and the model summary for a single run). */
  readonly tables: Array<{ name: string; title: string; table: Table }>;
  readonly notes: string[];
}

function readJsonArtifact<T>(run: RunOnDisk, name: string): T | null {
  const path = join(run.dir, 'artifacts', name);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : null;
}

/** Report of one run: curves (per epoch, and per sample when periodic), early stopping analysis, confusion matrix, model summary. */
export function runReport(run: RunOnDisk): ReportContent {
  const images: ReportImage[] = [];
  const epochs = run.metrics.filter((m) => m.kind === 'epoch');
  const title = `${run.record.name} (${run.record.id})`;
  // Charts leave the report alone as PNGs: a run that evaluated test in training says so on them.
  const chartTitle = heldOutSplit(run) === 'test' ? `${title}: ${TEST_SEEN}` : title;
  if (epochs.length)
    images.push({
      name: 'learning-curve',
      title: 'Learning curves',
      spec: learningCurveSpec(run.metrics, { title: chartTitle }),
    });
  if (run.metrics.some((m) => m.kind === 'evaluation' && m.split === 'periodic')) {
    images.push({
      name: 'learning-curve-samples',
      title: 'Learning curves against training samples',
      spec: learningCurveSpec(run.metrics, { title: chartTitle, x: 'samples' }),
    });
  }
  const validation = epochs
    .map((e) => e.metrics.valLoss)
    .filter((v): v is number => typeof v === 'number');
  const training = epochs
    .map((e) => e.metrics.trainLoss)
    .filter((v): v is number => typeof v === 'number');
  if (
    validation.length >= 2 &&
    validation.length === epochs.length &&
    training.length === validation.length
  ) {
    const analysis = analyzeStopping(
      { validation, training },
      { gl: 5, pq: { alpha: 0.5, k: 2 }, up: { s: 2, k: 2 }, patience: 3 },
    );
    const stops: Record<string, number | null> = {};
    for (const stop of Object.values(analysis.stops)) if (stop) stops[stop.criterion] = stop.epoch;
    images.push({
      name: 'early-stopping',
      title: 'Where stopping criteria would have stopped (validation loss)',
      spec: earlyStoppingSpec({
        validation,
        training,
        stops,
        bestEpoch: analysis.bestEpoch,
        errorName: 'loss',
      }),
    });
  }
  const confusion = readJsonArtifact<{ classes: string[]; matrix: number[][] }>(
    run,
    'confusion-validation.json',
  );
  if (confusion)
    images.push({
      name: 'confusion-validation',
      title: 'Confusion matrix (validation)',
      spec: confusionMatrixSpec(confusion.matrix, confusion.classes, { title: 'validation' }),
    });
  const tested = readJsonArtifact<{ classes: string[]; matrix: number[][] }>(
    run,
    'confusion-test.json',
  );
  if (tested)
    images.push({
      name: 'confusion-test',
      title: 'Confusion matrix (test)',
      spec: confusionMatrixSpec(tested.matrix, tested.classes, { title: 'test' }),
    });
  const tables = [{ name: 'summary', title: 'Summary', table: summaryTable([run]) }];
  const modelSummary = readJsonArtifact<Parameters<typeof modelSummaryTable>[0]>(
    run,
    'model-summary.json',
  );
  if (modelSummary)
    tables.push({
      name: 'model-summary',
      title: 'Model summary',
      table: modelSummaryTable(modelSummary),
    });
  const env = run.record.environment;
  const onTest = heldOutSplit(run) === 'test';
  return {
    title,
    subtitle: `status ${run.status}${run.statusNote ? ` (${run.statusNote})` : ''}, ${run.record.progress.epoch}/${run.record.progress.epochs} epochs, seed ${run.record.seed}, backend ${env.backend}, created ${run.record.createdAt}${onTest ? `, ${TEST_SEEN}` : ''}`,
    images,
    tables,
    notes: [
      ...(onTest ? [TEST_SEEN_NOTE] : []),
      ...(run.record.testEvaluations.length
        ? [
            `Test split evaluated ${run.record.testEvaluations.length} time(s), last at ${run.record.testEvaluations.at(-1)!.at}.`,
          ]
        : onTest
          ? []
          : ['The test split was not evaluated (tunelab eval <run> --split test).']),
    ],
  };
}

/**
 * Report of a sweep: the grid of curves (the first axis as columns, the others as rows), the
 * summary table ranked by the selection metric with a column per axis, and the selection.
 */
export function sweepReport(dir: string): ReportContent {
  const state = readSweepState(dir);
  if (!state) throw new Error(`${dir}: not a sweep directory (no sweep.json)`);
  const runs = new Map(listRuns(dir).map((r) => [r.record.id, r]));
  const present = state.trials.filter((t) => runs.has(t.id));
  const axisNames = [...new Set(present.flatMap((t) => Object.keys(t.axes)))];
  const [columnAxis, ...rowAxes] = axisNames.length ? axisNames : ['trial'];
  const rowOf = (t: TrialState) =>
    rowAxes.length === 0
      ? 'all'
      : rowAxes.length === 1
        ? (t.axes[rowAxes[0]!] ?? '')
        : rowAxes.map((a) => `${a} ${t.axes[a] ?? ''}`).join(', ');
  const trials: GridTrial[] = present.map((t) => ({
    column: t.axes[columnAxis!] ?? t.id,
    row: rowOf(t),
    metrics: runs.get(t.id)!.metrics,
    title: t.title,
  }));
  const onTest = present.some((t) => heldOutSplit(runs.get(t.id)!) === 'test');
  const images: ReportImage[] = [];
  const rowTitle = rowAxes.join(', ');
  if (trials.some((t) => t.metrics.length)) {
    images.push({
      name: 'curves-grid',
      title: 'Learning curves (accuracy)',
      spec: sweepGridSpec(trials, {
        title: onTest ? `${state.name}: ${TEST_SEEN}` : state.name,
        columnTitle: columnAxis!,
        rowTitle,
      }),
    });
    images.push({
      name: 'curves-grid-loss',
      title: 'Learning curves (loss)',
      spec: sweepGridSpec(trials, {
        title: onTest ? `${state.name}: ${TEST_SEEN}` : state.name,
        metric: 'loss',
        columnTitle: columnAxis!,
        rowTitle,
      }),
    });
  }
  const ranked = rankTrials(present, state.mode);
  const metrics = summaryTable(ranked.map((t) => runs.get(t.id)!));
  const table: Table = {
    columns: [
      { key: 'rank', title: 'rank' },
      { key: 'trial', title: 'trial' },
      ...(axisNames.length
        ? axisNames.map((a) => ({ key: `axis:${a}`, title: a }))
        : [{ key: 'label', title: 'trial label' }]),
      ...metrics.columns.filter((c) => c.key !== 'model' && c.key !== 'setting'),
    ],
    rows: metrics.rows.map((row, i) => {
      const t = ranked[i]!;
      const { model: _model, setting: _setting, ...values } = row;
      return {
        rank: t.best ? i + 1 : null,
        trial: t.id,
        ...(axisNames.length
          ? Object.fromEntries(axisNames.map((a) => [`axis:${a}`, t.axes[a] ?? null]))
          : { label: t.label }),
        ...values,
        status: t.status,
      };
    }),
  };
  const selection = state.selection;
  return {
    title: `Sweep ${state.name}`,
    subtitle: `${state.trials.length} trials, status ${currentStatus(state).status}, selection by ${state.metric} (${state.mode}) on ${onTest ? `test data (${TEST_SEEN})` : 'validation data'}${state.rungs ? `, successive halving at epochs ${state.rungs.join(', ')}` : ''}`,
    images,
    tables: [
      { name: 'summary', title: `Summary, ranked by ${state.metric}`, table },
      // Two axes (models x settings): the coursework's table, first axis as rows.
      ...(rowAxes.length === 1
        ? accuracyTables(
            present.map((t) => ({ trial: t, run: runs.get(t.id)! })),
            columnAxis!,
            rowAxes[0]!,
            onTest,
          )
        : []),
    ],
    notes: [
      selection
        ? `Selected: ${selection.trial} (${state.trials.find((t) => t.id === selection.trial)?.label}), ${selection.metric} ${selection.value.toFixed(4)} at epoch ${selection.epoch}.`
        : 'No trial finished an epoch yet.',
      onTest
        ? `${TEST_SEEN_NOTE} The selection was made on test too.`
        : 'The sweep never evaluates the test split: evaluate only the selected trial, with tunelab eval <sweep>/<trial> --split test.',
    ],
  };
}

/** A run directory or a sweep directory, as a report. */
export function reportFor(dir: string): ReportContent {
  return readSweepState(dir) ? sweepReport(dir) : runReport(readRun(dir));
}

/** The report as one self-contained HTML page (SVG inline). */
export async function reportHtml(contents: readonly ReportContent[]): Promise<string> {
  const blocks: ReportBlock[] = [];
  for (const c of contents) {
    if (contents.length > 1) blocks.push({ kind: 'heading', text: c.title });
    blocks.push({ kind: 'text', text: c.subtitle });
    for (const image of c.images) {
      blocks.push({ kind: 'heading', text: image.title });
      blocks.push({ kind: 'figure', svg: await renderSvg(image.spec) });
    }
    for (const t of c.tables) {
      blocks.push({ kind: 'heading', text: t.title });
      blocks.push({ kind: 'html', html: toHtml(t.table) });
    }
    for (const note of c.notes) blocks.push({ kind: 'text', text: note });
  }
  return htmlReport(
    contents.length === 1 ? contents[0]!.title : 'tunelab report',
    blocks,
    contents.length === 1 ? {} : { subtitle: `${contents.length} runs and sweeps` },
  );
}

/** The table images of a report (summary as a picture). */
export function tableImages(content: ReportContent): ReportImage[] {
  return content.tables.map((t) => ({
    name: t.name,
    title: t.title,
    spec: tableSpec(t.table, { title: t.title }),
  }));
}
