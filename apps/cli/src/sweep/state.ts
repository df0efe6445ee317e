import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { thisWriter, writeFileDurable } from '@tunelab/core/node';
import { parseSweepState, SWEEP_FILE, type SweepState } from '@tunelab/core/record';

// sweep.json's format is part of the record contract in @tunelab/core (sweepStateSchema).
export { SWEEP_FILE, type SweepState, type TrialState } from '@tunelab/core/record';

/**
 * Reads and validates `<dir>/sweep.json`; null when there is none. A damaged file is an error
 * naming it and the problem ("…/sweep.json: not valid JSON (…)", "…/sweep.json: trials.0.status: …").
 */
export function readSweepState(dir: string): SweepState | null {
  const path = join(dir, SWEEP_FILE);
  if (!existsSync(path)) return null;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path}: not valid JSON (${(error as Error).message})`);
  }
  return parseSweepState(json, path);
}

/**
 * Rewrites sweep.json whole or not at all (core's durable write), naming this process as
 * its writer.
 */
export function writeSweepState(dir: string, state: SweepState): void {
  const now = new Date();
  state.updatedAt = now.toISOString();
  state.writer = thisWriter(now);
  writeFileDurable(join(dir, SWEEP_FILE), `${JSON.stringify(state, null, 2)}\n`);
}
