import type { MetricEntry, RunRecord } from '@tunelab/core/record';
import type { Table } from './table.js';

/** A run as reports read it: its record and its metrics lines. */
export interface RunForReport {
  /** The run.json record (name, config, best, test evaluations...). */
  readonly record: RunRecord;
  /** The metrics.jsonl lines: epochs and periodic evaluations. */
  readonly metrics: readonly MetricEntry[];
  /**
   * The status to show when it differs from the file's (readRun's: a running run whose
   * writer is gone reads 'interrupted'); record.status otherwise.
   */
  readonly status?: string;
}

/**
 * The best epoch of a run by a metric (the first if tied), from its epoch lines.
 * Validation accuracies 0.70, 0.75, 0.74 over epochs 1-3 give { epoch: 2, value: 0.75 }.
 */
export function bestEpoch(
  run: RunForReport,
  metric = 'valAccuracy',
  mode: 'max' | 'min' = 'max',
): {
  /** The 1-based epoch. */
  epoch: number;
  /** The metric's value there. */
  value: number;
} | null {
  let best: { epoch: number; value: number } | null = null;
  for (const e of run.metrics) {
    if (e.kind !== 'epoch') continue;
    const v = e.metrics[metric];
    if (v === null || v === undefined || !Number.isFinite(v)) continue;
    if (!best || (mode === 'max' ? v > best.value : v < best.value))
      best = { epoch: e.epoch, value: v };
  }
  return best;
}

/**
 * The last test evaluation of a run, or null when the test split was never evaluated.
 * null for a run whose record has no test evaluation; 0.87 after
 * `tunelab eval <run> --split test` recorded testAccuracy 0.87.
 */
export function testAccuracy(run: RunForReport): number | null {
  const last = run.record.testEvaluations.at(-1);
  const value = last?.metrics.testAccuracy;
  return value === undefined ? null : value;
}

/**
 * The split a run evaluated as held-out data during training: 'validation', or 'test' for a
 * run whose experiment opted in with evaluation.heldOut 'test' (run.json's heldOut).
 */
export function heldOutSplit(run: RunForReport): 'validation' | 'test' {
  return run.record.heldOut ?? 'validation';
}

/**
 * The held-out accuracy of a run's last epoch: valAccuracy, or testAccuracy for a run that
 * evaluated test during training ({@link heldOutSplit}); null before its first epoch.
 */
export function finalHeldOutAccuracy(run: RunForReport): number | null {
  const key = heldOutSplit(run) === 'test' ? 'testAccuracy' : 'valAccuracy';
  return run.record.final?.[key] ?? null;
}

/** Options of {@link summaryTable}. */
export interface SummaryOptions {
  /** Label of a run's model (default: config.model.name). */
  model?: (run: RunForReport) => string;
  /** Label of a run's setting (default: the run name). */
  setting?: (run: RunForReport) => string;
}

/**
 * One row per run: model, setting, best validation accuracy and its epoch, final validation
 * accuracy, epochs run, status, and test accuracy only for runs whose test split was
 * evaluated on request (tunelab eval --split test); otherwise an en dash. When a run
 * evaluated test during training (evaluation.heldOut 'test'), a column
 * 'final test acc (seen in training)' holds its last epoch's test accuracy.
 * `toMarkdown(summaryTable(runs.map(readRun)))` starts
 * '| model | setting | best val acc | best epoch | final val acc | epochs | test acc | status |'.
 */
export function summaryTable(runs: readonly RunForReport[], options: SummaryOptions = {}): Table {
  // Runs that evaluated test during training show it in a column that says so.
  const onTest = runs.some((r) => heldOutSplit(r) === 'test');
  const model =
    options.model ??
    ((r) => String((r.record.config.model as { name?: string } | undefined)?.name ?? '?'));
  const setting = options.setting ?? ((r) => r.record.name);
  return {
    columns: [
      { key: 'model', title: 'model' },
      { key: 'setting', title: 'setting' },
      { key: 'bestValAccuracy', title: 'best val acc', format: (v) => v.toFixed(4) },
      { key: 'bestEpoch', title: 'best epoch' },
      { key: 'finalValAccuracy', title: 'final val acc', format: (v) => v.toFixed(4) },
      ...(onTest
        ? [
            {
              key: 'finalTestInTraining',
              title: 'final test acc (seen in training)',
              format: (v: number) => v.toFixed(4),
            },
          ]
        : []),
      { key: 'epochs', title: 'epochs' },
      { key: 'testAccuracy', title: 'test acc', format: (v) => v.toFixed(4) },
      { key: 'status', title: 'status' },
    ],
    rows: runs.map((run) => {
      const best = bestEpoch(run);
      return {
        model: model(run),
        setting: setting(run),
        bestValAccuracy: best?.value ?? null,
        bestEpoch: best?.epoch ?? null,
        finalValAccuracy: run.record.final?.valAccuracy ?? null,
        ...(onTest
          ? {
              finalTestInTraining:
                heldOutSplit(run) === 'test' ? (run.record.final?.testAccuracy ?? null) : null,
            }
          : {}),
        epochs: run.record.progress.epoch,
        testAccuracy: testAccuracy(run),
        status: run.status ?? run.record.status,
      };
    }),
  };
}
