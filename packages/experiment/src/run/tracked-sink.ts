import type { MetricEntry, RunPatch, RunRecord, RunSink, RunStatus } from '@tunelab/core';

/**
 * A sink that forwards everything to `sink` and keeps the metrics lines written (after
 * `initial`, the lines a resumed run kept), so the run's curves can be drawn without reading
 * its files back.
 */
export function trackMetrics(
  sink: RunSink,
  initial: readonly MetricEntry[],
): { sink: RunSink; metrics: MetricEntry[] } {
  const metrics = [...initial];
  const tracked: RunSink = {
    get record(): RunRecord {
      return sink.record;
    },
    appendMetrics(entry: MetricEntry) {
      sink.appendMetrics(entry);
      metrics.push(entry);
    },
    update(patch: RunPatch) {
      sink.update(patch);
    },
    finish(status: Exclude<RunStatus, 'running'>, patch?: RunPatch) {
      sink.finish(status, patch);
    },
    writeArtifact(name, data, kind, description) {
      return sink.writeArtifact(name, data, kind, description);
    },
  };
  return { sink: tracked, metrics };
}
