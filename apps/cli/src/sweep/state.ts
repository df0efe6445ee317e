import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSweepState, SWEEP_FILE, type SweepState } from '@tunelab/core/record';
import writeFileAtomic from 'write-file-atomic';

// sweep.json's format is part of the record contract in @tunelab/core (sweepStateSchema).
export { SWEEP_FILE, type SweepState, type TrialState } from '@tunelab/core/record';

/** Reads and validates sweep.json of a sweep directory; null when there is none. */
export function readSweepState(dir: string): SweepState | null {
  const path = join(dir, SWEEP_FILE);
  if (!existsSync(path)) return null;
  return parseSweepState(JSON.parse(readFileSync(path, 'utf8')), path);
}

/** Rewrites sweep.json atomically. */
export function writeSweepState(dir: string, state: SweepState): void {
  state.updatedAt = new Date().toISOString();
  writeFileAtomic.sync(join(dir, SWEEP_FILE), `${JSON.stringify(state, null, 2)}\n`);
}
