import type { Callback, EpochLogs, EvaluationLogs, History } from '../train/callback.js';
import type { RunSink } from './sink.js';

/** Options of {@link recordRun}. */
export interface RecordRunOptions {
  /** Metric that defines the best epoch. Default 'valAccuracy'. */
  monitor?: string;
  /** Whether larger ('max') or smaller ('min') is better. Default 'max'. */
  mode?: 'max' | 'min';
  /**
   * Set the final status when training ends. Default true. False leaves the run 'running'
   * for its owner to finish once the artifacts are written (a record never says completed
   * before its files exist); the status to set is then `history.stopReason`.
   */
  finish?: boolean;
}

/**
 * A callback that writes training into a run (a directory through RunWriter, or a
 * {@link MemoryRun} in a browser) as it happens: one metrics.jsonl line
 * per epoch and per periodic evaluation, and run.json's progress, final metrics and best epoch after each epoch; at the
 * end, the status from how training stopped.
 * ```ts
 * const run = { name: 'quickstart', config, seed: 42, environment, epochs: 5 };
 * const writer = RunWriter.create('runs', run); // RunWriter from '@tunelab/core/node'
 * await fit(model, { ..., callbacks: [recordRun(writer)] }); // runs/<id>/run.json, metrics.jsonl
 * ```
 */
export function recordRun(writer: RunSink, options: RecordRunOptions = {}): Callback {
  const monitor = options.monitor ?? 'valAccuracy';
  const better =
    options.mode === 'min' ? (a: number, b: number) => a < b : (a: number, b: number) => a > b;
  let best = writer.record.best;
  return {
    onEpochEnd(logs: EpochLogs) {
      writer.appendMetrics({
        kind: 'epoch',
        epoch: logs.epoch,
        step: logs.step,
        samples: logs.samples,
        seconds: logs.seconds,
        lr: logs.lr,
        time: new Date().toISOString(),
        metrics: { ...logs.metrics },
      });
      const value = logs.metrics[monitor];
      if (value !== undefined && Number.isFinite(value) && (!best || better(value, best.value))) {
        best = { metric: monitor, value, epoch: logs.epoch };
      }
      const progress = { ...writer.record.progress, epoch: logs.epoch, step: logs.step };
      writer.update({ progress, final: { ...logs.metrics }, ...(best ? { best } : {}) });
    },
    onEvaluation(logs: EvaluationLogs) {
      writer.appendMetrics({
        kind: 'evaluation',
        split: 'periodic',
        epoch: logs.epoch,
        step: logs.step,
        samples: logs.samples,
        time: new Date().toISOString(),
        metrics: { ...logs.metrics },
      });
    },
    onTrainEnd(history: History) {
      if (options.finish === false) return;
      writer.finish(
        history.stopReason,
        history.stopDetail ? { stopDetail: history.stopDetail } : {},
      );
    },
  };
}
