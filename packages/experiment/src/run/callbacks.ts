import { ARTIFACT_FILES, type Callback, encodeCheckpoint, type RunSink } from '@tunelab/core';
import { checkpointBest } from '@tunelab/optimizers';
import { buildStoppingCallbacks } from '../build/training.js';
import type { Experiment } from '../schema/experiment.js';

/**
 * Writes artifacts/checkpoint.safetensors (weights, optimizer state, the epoch's logs) at the
 * end of every epoch, before the epoch's metrics line: a run killed at any moment resumes
 * from its last finished epoch. `kept` hears each checkpoint's bytes once written (the run
 * puts the last finished epoch back after a Ctrl-C or a diverged loss).
 */
export function checkpointEachEpoch(
  sink: RunSink,
  kept?: (checkpoint: Uint8Array) => void,
): Callback {
  return {
    async onEpochEnd(logs, ctx) {
      const bytes = await encodeCheckpoint(ctx.model, ctx.optimizer, logs, {
        epochLogs: JSON.stringify(logs),
      });
      sink.writeArtifact(
        ARTIFACT_FILES.checkpoint,
        bytes,
        'application/safetensors',
        'weights and optimizer state after the last finished epoch (resume point)',
      );
      kept?.(bytes);
    },
  };
}

/**
 * The callbacks an experiment's run needs, in order: the per-epoch checkpoint (its bytes
 * handed to `kept`), the stopping criteria it asks for, and best-checkpoint keeping.
 */
export function runCallbacks(
  experiment: Experiment,
  sink: RunSink,
  kept?: (checkpoint: Uint8Array) => void,
): Callback[] {
  const best = experiment.callbacks?.checkpointBest;
  return [
    checkpointEachEpoch(sink, kept),
    ...buildStoppingCallbacks(experiment),
    ...(best
      ? [
          checkpointBest({
            writer: sink,
            monitor: best.monitor,
            ...(best.mode ? { mode: best.mode } : {}),
          }),
        ]
      : []),
  ];
}
