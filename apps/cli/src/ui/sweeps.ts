import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { currentStatus } from '@tunelab/core/node';
import {
  RUN_FILES,
  type SweepDetail,
  type SweepListing,
  type SweepState,
  sweepDetailOf,
  sweepListingOf,
  type TrialState,
  type TrialWithRun,
} from '@tunelab/core/record';
import { readSweepState, SWEEP_FILE } from '../sweep/state.js';
import { idOf, withoutPaths } from './paths.js';
import { readRecord, runDirectories, shown } from './runs.js';

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
  for (const dir of dirs) sweeps.push(sweepListingOf(readSweep(root, dir)));
  return sweeps.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/** A sweep directory's state (status as shown); what can be read of it when sweep.json is damaged. */
export function readSweep(root: string, dir: string): SweepDetail {
  const id = idOf(root, dir);
  let state: SweepState | null;
  try {
    state = readSweepState(dir);
    if (!state) throw new Error(`${SWEEP_FILE}: missing`);
  } catch (error) {
    return damagedSweep(
      root,
      dir,
      withoutPaths((error as Error).message, join(dir, SWEEP_FILE), SWEEP_FILE),
    );
  }
  const detail = sweepDetailOf(id, state, (trial) =>
    existsSync(join(dir, trial, RUN_FILES.record)) ? `${id}/${trial}` : null,
  );
  // The status to show: a running sweep whose process is gone reads 'interrupted'.
  const status = currentStatus(state);
  return { ...detail, status: status.status, ...(status.note ? { statusNote: status.note } : {}) };
}

/** A sweep whose sweep.json cannot be read: its run directories stand in for the trials. */
function damagedSweep(root: string, dir: string, problem: string): SweepDetail {
  const id = idOf(root, dir);
  const time = statSync(join(dir, SWEEP_FILE)).mtime.toISOString();
  const trials: TrialWithRun[] = runDirectories(dir).map((runDir) => {
    const trial = basename(runDir);
    let status: TrialState['status'] = 'pending';
    let targetEpochs = 0;
    let best: TrialState['best'];
    try {
      const { record } = shown(readRecord(runDir));
      const done = { completed: 'done', stopped: 'stopped', failed: 'failed' } as const;
      status = record.status in done ? done[record.status as keyof typeof done] : 'pending';
      targetEpochs = record.progress.epochs;
      if (record.best) best = { value: record.best.value, epoch: record.best.epoch };
    } catch {
      // Listed among the runs' problems; here it stays a pending trial.
    }
    return {
      id: trial,
      label: trial,
      axes: {},
      overrides: {},
      status,
      targetEpochs,
      ...(best ? { best } : {}),
      runId: `${id}/${trial}`,
    };
  });
  return {
    id,
    name: basename(dir),
    status: 'unreadable',
    problem,
    metric: '',
    mode: 'max',
    createdAt: time,
    updatedAt: time,
    selection: null,
    axes: [],
    rungs: null,
    trials,
  };
}
