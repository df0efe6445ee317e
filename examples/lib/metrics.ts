// Collecting a training run's metrics in memory, in the run-record format reports draw from.
import type { Callback } from '@tunelab/core';
import type { MetricEntry } from '@tunelab/core/record';

/**
 * A callback that keeps every epoch and periodic evaluation as a metrics.jsonl entry
 * (what `recordRun` writes to disk), for `learningCurveSpec` and `sweepGridSpec`.
 */
export function collectMetrics(): { callback: Callback; entries: MetricEntry[] } {
  const entries: MetricEntry[] = [];
  const time = new Date(0).toISOString(); // fixed: the examples' outputs do not depend on the clock
  return {
    entries,
    callback: {
      onEpochEnd(logs) {
        entries.push({ kind: 'epoch', ...logs, time, metrics: { ...logs.metrics } });
      },
      onEvaluation(logs) {
        const { seconds: _, ...rest } = logs;
        entries.push({
          kind: 'evaluation',
          split: 'periodic',
          ...rest,
          time,
          metrics: { ...logs.metrics },
        });
      },
    },
  };
}
