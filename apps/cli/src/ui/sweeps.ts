import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_FILES } from '@tunelab/core/record';
import { readSweepState, SWEEP_FILE, type SweepState, type TrialState } from '../sweep/state.js';
import { idOf } from './paths.js';
import { runDirectories } from './runs.js';

/** A sweep as GET /api/sweeps lists it. */
export interface SweepListing {
  readonly id: string;
  readonly name: string;
  readonly status: SweepState['status'];
  readonly metric: string;
  readonly mode: 'min' | 'max';
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly trials: number;
  readonly done: number;
  readonly selection: SweepState['selection'] | null;
}

/** A trial with the id of its run directory (null until the trial has started). */
export interface TrialWithRun extends TrialState {
  readonly runId: string | null;
}

/** GET /api/sweeps/:id: sweep.json with each trial's run id. */
export interface SweepDetail extends Omit<SweepListing, 'trials' | 'done'> {
  readonly axes: string[];
  readonly rungs: readonly number[] | null;
  readonly trials: TrialWithRun[];
}

/**
 * The folders below `root` that hold a sweep.json: the parents of run directories, and the
 * sweeps at the top of `root` whose trials have not started yet (queued on workers).
 */
export function sweepDirectories(root: string): string[] {
  const dirs = new Set<string>();
  for (const run of runDirectories(root)) {
    const parent = join(run, '..');
    if (existsSync(join(parent, SWEEP_FILE))) dirs.add(parent);
  }
  let names: string[] = [];
  try {
    names = readdirSync(root);
  } catch {
    // No runs directory yet: no sweeps.
  }
  for (const name of names)
    if (!name.startsWith('.') && existsSync(join(root, name, SWEEP_FILE)))
      dirs.add(join(root, name));
  return [...dirs];
}

/** Every sweep directory below `root` ({@link sweepDirectories}). */
export function scanSweeps(root: string): SweepListing[] {
  const dirs = sweepDirectories(root);
  const sweeps: SweepListing[] = [];
  for (const dir of dirs) {
    const detail = readSweep(root, dir);
    if (!detail) continue;
    const { axes: _axes, rungs: _rungs, trials, ...rest } = detail;
    sweeps.push({
      ...rest,
      trials: trials.length,
      done: trials.filter((t) => t.status === 'done' || t.status === 'stopped').length,
    });
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
  if (state?.format !== 'tunelab.sweep/1') return null;
  const id = idOf(root, dir);
  const axes = [...new Set(state.trials.flatMap((t) => Object.keys(t.axes)))];
  return {
    id,
    name: state.name,
    status: state.status,
    metric: state.metric,
    mode: state.mode,
    createdAt: state.createdAt,
    updatedAt: state.updatedAt,
    selection: state.selection ?? null,
    axes,
    rungs: state.rungs,
    trials: state.trials.map((t) => ({
      ...t,
      runId: existsSync(join(dir, t.id, RUN_FILES.record)) ? `${id}/${t.id}` : null,
    })),
  };
}
