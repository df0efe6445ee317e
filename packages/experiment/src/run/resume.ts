import type { EpochLogs, MetricEntry, Module, Optimizer, RunRecord } from '@tunelab/core';
import { restoreCheckpoint } from '@tunelab/core';
import { ExperimentError } from '../errors.js';

/** A run to continue: its record, its metrics lines and its last checkpoint (if any). */
export interface ResumePoint {
  /** Where the run lives, for messages ('runs/20261123-141502-quickstart-3fa2'). */
  readonly dir: string;
  /** Its run.json. */
  readonly record: RunRecord;
  /** Its metrics.jsonl lines. */
  readonly metrics: readonly MetricEntry[];
  /** artifacts/checkpoint.safetensors, or null when no epoch finished. */
  readonly checkpoint: Uint8Array | null;
  /** How the run stood when found, said in the resume line ('interrupted: its writer ... is gone'). */
  readonly found?: string | undefined;
}

/**
 * Puts a run's last checkpoint back into `model` and `optimizer` after checking the data
 * split is the one it was trained on, and returns the metrics lines to keep (those up to the
 * checkpoint; the lines of unfinished work are dropped and redone) and the epochs done.
 */
export function restoreRun(
  point: ResumePoint,
  splitFingerprint: string,
  model: Module,
  optimizer: Optimizer,
): {
  /** The metrics lines to keep: those up to the checkpoint. */
  kept: MetricEntry[];
  /** The epochs done, for fit's resumeFrom. */
  resumeFrom: EpochLogs[];
} {
  const recorded = (point.record.data?.split as { fingerprint?: string } | undefined)?.fingerprint;
  if (recorded && recorded !== splitFingerprint) {
    throw new ExperimentError(
      `${point.dir}: the data split changed since this run started (fingerprint ${recorded}, now ${splitFingerprint}); cannot resume`,
    );
  }
  let epoch = 0;
  let last: EpochLogs | null = null;
  if (point.checkpoint) {
    const source = `${point.dir}/artifacts/checkpoint.safetensors`;
    const restored = restoreCheckpoint(point.checkpoint, source, model, optimizer);
    epoch = restored.epoch;
    last = JSON.parse(restored.metadata.epochLogs ?? 'null') as EpochLogs | null;
  }
  // Keep what happened up to the checkpoint; drop the lines of work that will be redone.
  const lastSamples = last?.samples ?? 0;
  const kept = point.metrics.filter((m) =>
    m.kind === 'epoch' ? m.epoch <= epoch : m.split !== 'periodic' || m.samples <= lastSamples,
  );
  // A kill between the checkpoint and its metrics line: the checkpoint carries the line.
  if (last && !kept.some((m) => m.kind === 'epoch' && m.epoch === epoch)) {
    kept.push({
      kind: 'epoch',
      ...last,
      metrics: { ...last.metrics },
      time: new Date().toISOString(),
    });
  }
  const resumeFrom: EpochLogs[] = kept.flatMap((m) =>
    m.kind === 'epoch'
      ? [
          {
            epoch: m.epoch,
            step: m.step,
            samples: m.samples,
            seconds: m.seconds,
            lr: m.lr,
            metrics: m.metrics as Record<string, number>,
          },
        ]
      : [],
  );
  return { kept, resumeFrom };
}
