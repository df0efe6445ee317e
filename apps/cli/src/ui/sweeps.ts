import { existsSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { currentStatus } from '@tunelab/core/node';
import { RUN_FILES } from '@tunelab/core/record';
import { readSweepState, SWEEP_FILE, type SweepState, type TrialState } from '../sweep/state.js';
import { idOf, withoutPaths } from './paths.js';
import { readRecord, runDirectories, shown } from './runs.js';

/** A sweep as GET /api/sweeps lists it. */
export interface SweepListing {
  readonly id: string;
  readonly name: string;
  /** The status to show: 'interrupted' for a running sweep whose process is gone; 'unreadable' when sweep.json is damaged. */
  readonly status: SweepState['status'] | 'unreadable';
  /** Why `status` differs from sweep.json's, e.g. 'its writer (pid 4242 on lab-1) is gone'. */
  readonly statusNote?: string;
  /** What is wrong with sweep.json ('sweep.json: not valid JSON (...)'), when it is damaged. */
  readonly problem?: string;
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

/**
 * GET /api/sweeps/:id: sweep.json with each trial's run id. When sweep.json is damaged,
 * `problem` says why and the trials are its run directories, as far as they can be read.
 */
export interface SweepDetail extends Omit<SweepListing, 'trials' | 'done'> {
  readonly axes: string[];
  readonly rungs: readonly number[] | null;
  readonly trials: TrialWithRun[];
}

/** Every sweep directory below `root` (the parents of run directories that hold sweep.json). */
export function scanSweeps(root: string): SweepListing[] {
  const dirs = new Set<string>();
  for (const run of runDirectories(root)) {
    const parent = join(run, '..');
    if (existsSync(join(parent, SWEEP_FILE))) dirs.add(parent);
  }
  const sweeps: SweepListing[] = [];
  for (const dir of dirs) {
    const { axes: _axes, rungs: _rungs, trials, ...rest } = readSweep(root, dir);
    sweeps.push({
      ...rest,
      trials: trials.length,
      done: trials.filter((t) => t.status === 'done' || t.status === 'stopped').length,
    });
  }
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
  const status = currentStatus(state);
  const axes = [...new Set(state.trials.flatMap((t) => Object.keys(t.axes)))];
  return {
    id,
    name: state.name,
    status: status.status,
    ...(status.note ? { statusNote: status.note } : {}),
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
