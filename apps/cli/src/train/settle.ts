import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Module, type Optimizer, restoreCheckpoint } from '@tunelab/core';
import type { RunWriter } from '@tunelab/core/node';

/** The per-epoch checkpoint under artifacts/ (the resume point). */
export const CHECKPOINT = 'checkpoint.safetensors';

/**
 * Loads the last finished epoch's checkpoint into `model` (and `optimizer`), so the weights
 * saved next are the ones run.json describes: after Ctrl-C mid-epoch, or a loss that became
 * NaN, the weights in memory are past the last recorded epoch. Returns that epoch, or null
 * when no epoch finished (then no weights describe the record).
 */
export function restoreLastEpoch(
  runDir: string,
  model: Module,
  optimizer: Optimizer,
): number | null {
  const path = join(runDir, 'artifacts', CHECKPOINT);
  if (!existsSync(path)) return null;
  return restoreCheckpoint(readFileSync(path), path, model, optimizer).epoch;
}

/**
 * Marks the run failed with `error` recorded. When even that write fails (a full disk), the
 * returned error says both, so the message still names the file that could not be written.
 */
export function recordFailure(writer: RunWriter, error: unknown): Error {
  const failure = error instanceof Error ? error : new Error(String(error));
  try {
    writer.finish('failed', { error: { message: failure.message, stack: failure.stack } });
    return failure;
  } catch (second) {
    return new Error(
      `${failure.message}; recording the failure failed too: ${(second as Error).message}`,
      { cause: failure },
    );
  }
}
