import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  RUN_FILES,
  type SweepDetail,
  type SweepListing,
  type SweepState,
  sweepDetailOf,
  sweepListingOf,
} from '@tunelab/core/record';
import { readSweepState, SWEEP_FILE } from '../sweep/state.js';
import { idOf } from './paths.js';
import { runDirectories } from './runs.js';

/** Every sweep directory below `root` (the parents of run directories that hold sweep.json). */
export function scanSweeps(root: string): SweepListing[] {
  const dirs = new Set<string>();
  for (const run of runDirectories(root)) {
    const parent = join(run, '..');
    if (existsSync(join(parent, SWEEP_FILE))) dirs.add(parent);
  }
  const sweeps: SweepListing[] = [];
  for (const dir of dirs) {
    const detail = readSweep(root, dir);
    if (detail) sweeps.push(sweepListingOf(detail));
  }
  return sweeps.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/** A sweep directory's state, or null when it holds no readable sweep.json. */
export function readSweep(root: string, dir: string): SweepDetail | null {
  let state: SweepState | null;
  try {
    state = readSweepState(dir);
  } catch {
    return null;
  }
  if (!state) return null;
  const id = idOf(root, dir);
  return sweepDetailOf(id, state, (trial) =>
    existsSync(join(dir, trial, RUN_FILES.record)) ? `${id}/${trial}` : null,
  );
}
