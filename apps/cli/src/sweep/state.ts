import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { TrialAttempt } from '../queue/protocol.js';

/** The file at the root of a sweep directory. */
export const SWEEP_FILE = 'sweep.json';

/** Where each trial stands. */
export interface TrialState {
  readonly id: string;
  readonly label: string;
  readonly axes: Readonly<Record<string, string>>;
  readonly overrides: Readonly<Record<string, unknown>>;
  /**
   * pending: not started; queued: waiting in the queue for a worker (`--queue`); done: reached
   * its epoch target; stopped: halted by successive halving.
   */
  status: 'pending' | 'queued' | 'running' | 'done' | 'stopped' | 'failed';
  /** Epochs this trial should reach (its own, or a halving rung). */
  targetEpochs: number;
  /** Best value of the selection metric and its epoch, from the trial's metrics. */
  best?: { value: number; epoch: number };
  error?: string;
  /** Queue sweeps: epochs finished so far, as last uploaded by the worker. */
  epoch?: number;
  /** Queue sweeps: the worker of the latest attempt (its name, machine and backend). */
  worker?: { id: string; host: string; backend?: string };
  /** Queue sweeps: every start of the trial on a worker, oldest first. */
  attempts?: TrialAttempt[];
}

/** sweep.json: the plan and the progress of every trial. */
export interface SweepState {
  readonly format: 'tunelab.sweep/1';
  readonly name: string;
  readonly file: string;
  readonly digest: string;
  readonly createdAt: string;
  updatedAt: string;
  status: 'running' | 'completed' | 'failed';
  readonly metric: string;
  readonly mode: 'min' | 'max';
  readonly rungs: readonly number[] | null;
  trials: TrialState[];
  /** The best trial by the selection metric on validation data (never test). */
  selection?: { trial: string; value: number; epoch: number; metric: string };
}

export function readSweepState(dir: string): SweepState | null {
  const path = join(dir, SWEEP_FILE);
  if (!existsSync(path)) return null;
  return JSON.parse(readFileSync(path, 'utf8')) as SweepState;
}

/** Rewrites sweep.json atomically. */
export function writeSweepState(dir: string, state: SweepState): void {
  state.updatedAt = new Date().toISOString();
  writeFileAtomic.sync(join(dir, SWEEP_FILE), `${JSON.stringify(state, null, 2)}\n`);
}
