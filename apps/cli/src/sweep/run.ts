import { existsSync, mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { currentStatus, readRun, writeFileDurable } from '@tunelab/core/node';
import type { Trial } from '@tunelab/experiment';
import { bestEpoch } from '@tunelab/reports';
import { spawnTrain } from '../train/spawn.js';
import { type SweepState, type TrialState, writeSweepState } from './state.js';

/** How to run a sweep's trials. */
export interface SweepRunOptions {
  /** Trials at once. Default: one per core. */
  parallel?: number;
  /** Extra arguments for each `tunelab train` worker (e.g. --backend, --train-limit). */
  trainArgs?: readonly string[];
  /** Lines about trial progress. */
  print: (line: string) => void;
  signal?: AbortSignal;
  /**
   * Runs one trial to `epochs` elsewhere and resolves with train's exit code (null: not
   * finished); its run directory must be in the sweep folder by then. Default: a `tunelab
   * train` worker process here. `tunelab sweep --queue` runs trials on queue workers.
   */
  runTrial?: (trial: Trial, epochs: number) => Promise<number | null>;
}

/** Runs `tunelab train` for one trial up to `epochs`, resuming its run directory if it exists. */
function runWorker(
  sweepDir: string,
  trial: Trial,
  epochs: number,
  options: SweepRunOptions,
): Promise<number | null> {
  const runDir = join(sweepDir, trial.id);
  // A trial that has a run directory continues it (only the backend may change on resume).
  const resume = existsSync(join(runDir, 'run.json'));
  const extra = options.trainArgs ?? [];
  const backendAt = extra.indexOf('--backend');
  const args = resume
    ? [
        'train',
        '--resume',
        runDir,
        '--epochs',
        String(epochs),
        ...(backendAt >= 0 ? extra.slice(backendAt, backendAt + 2) : []),
      ]
    : [
        'train',
        join(sweepDir, '.trials', `${trial.id}.json`),
        '--out',
        sweepDir,
        '--run-id',
        trial.id,
        '--epochs',
        String(epochs),
        ...extra,
      ];
  mkdirSync(join(sweepDir, 'logs'), { recursive: true });
  const train = spawnTrain(args, {
    log: join(sweepDir, 'logs', `${trial.id}.log`),
    onLine: (line) => {
      if (/^epoch \d+\/\d+/.test(line)) options.print(`${trial.id} ${line}`);
    },
    concurrency: options.parallel ?? availableParallelism(),
  });
  const onAbort = () => train.stop();
  options.signal?.addEventListener('abort', onAbort);
  return train.exit.finally(() => options.signal?.removeEventListener('abort', onAbort));
}

/**
 * Updates a trial's best value and failure from its run directory; returns the epochs it
 * has finished (a run ended by a stopping criterion counts as having reached any target).
 */
function refresh(sweepDir: string, trial: TrialState, metric: string, mode: 'min' | 'max'): number {
  const runDir = join(sweepDir, trial.id);
  if (!existsSync(join(runDir, 'run.json'))) return 0;
  const run = readRun(runDir);
  const best = bestEpoch(run, metric, mode);
  if (best) trial.best = best;
  if (run.record.status === 'failed') {
    trial.status = 'failed';
    trial.error = run.record.error?.message ?? 'failed';
  }
  return run.record.status === 'stopped' ? Number.POSITIVE_INFINITY : run.record.progress.epoch;
}

/**
 * Brings sweep.json's trials in line with their run directories (the truth after a kill
 * between a worker finishing and the sweep's bookkeeping): a trial whose run reached its
 * target is done, a failed run's trial failed, the rest pending. Returns what it found, for
 * the resume message: e.g. { done: 5, failed: 0, pending: 10, wasRunning: 2 }.
 */
export function reconcileTrials(
  sweepDir: string,
  state: SweepState,
): { done: number; failed: number; pending: number; wasRunning: number } {
  let wasRunning = 0;
  for (const t of state.trials) {
    if (t.status === 'stopped') continue;
    if (t.status === 'running') wasRunning++;
    const epochs = refresh(sweepDir, t, state.metric, state.mode);
    if (t.status !== 'failed') t.status = epochs >= t.targetEpochs ? 'done' : 'pending';
  }
  const count = (s: TrialState['status']) => state.trials.filter((t) => t.status === s).length;
  return {
    done: count('done') + count('stopped'),
    failed: count('failed'),
    pending: count('pending'),
    wasRunning,
  };
}

/**
 * Waits until no trial's run is still being written by a live process (workers stop after
 * their current batch once the sweep that started them is gone). Returns the ids waited for.
 */
export async function waitForTrialWriters(
  sweepDir: string,
  state: SweepState,
  timeoutMs = 120_000,
): Promise<string[]> {
  const live = () =>
    state.trials.filter((t) => {
      const runDir = join(sweepDir, t.id);
      if (!existsSync(join(runDir, 'run.json'))) return false;
      try {
        return currentStatus(readRun(runDir).record).status === 'running';
      } catch {
        return false;
      }
    });
  const waited = live().map((t) => t.id);
  for (const end = Date.now() + timeoutMs; live().length > 0 && Date.now() < end; )
    await new Promise((r) => setTimeout(r, 200));
  return waited;
}

/**
 * Runs every trial to its target with at most `parallel` workers at a time; after each
 * successive-halving rung keeps the best 1/eta of the trials (by the validation metric) and
 * stops the rest. The state is written after every change, so a killed sweep re-run picks
 * up where it was: finished trials are kept, interrupted ones resume from their checkpoint.
 */
export async function runSweep(
  sweepDir: string,
  trials: readonly Trial[],
  state: SweepState,
  eta: number | null,
  options: SweepRunOptions,
): Promise<void> {
  const byId = new Map(trials.map((t) => [t.id, t]));
  mkdirSync(join(sweepDir, '.trials'), { recursive: true });
  for (const t of trials)
    writeFileDurable(
      join(sweepDir, '.trials', `${t.id}.json`),
      `${JSON.stringify(t.experiment, null, 2)}\n`,
    );
  const parallel = Math.max(1, options.parallel ?? availableParallelism());
  const rungs = state.rungs ?? [Number.POSITIVE_INFINITY];

  for (const [r, rung] of rungs.entries()) {
    const active = state.trials.filter((t) => t.status !== 'stopped' && t.status !== 'failed');
    const queue = active.filter((t) => {
      t.targetEpochs = Math.min(rung, byId.get(t.id)!.experiment.epochs);
      const reached = refresh(sweepDir, t, state.metric, state.mode) >= t.targetEpochs;
      // A sweep killed between a worker finishing and its bookkeeping left this trial marked
      // 'running' (or 'pending') although its run is complete: the run directory is the truth.
      if (reached && t.status !== 'failed') t.status = 'done';
      return !reached && t.status !== 'failed';
    });
    if (state.rungs)
      options.print(
        `rung ${r + 1}/${rungs.length}: ${active.length} trials to ${Number.isFinite(rung) ? rung : 'their'} epochs`,
      );
    const workers = Array.from({ length: Math.min(parallel, queue.length) }, async () => {
      for (let next = queue.shift(); next && !options.signal?.aborted; next = queue.shift()) {
        next.status = 'running';
        writeSweepState(sweepDir, state);
        options.print(`${next.id} start: ${next.label}`);
        const trial = byId.get(next.id)!;
        const code = await (options.runTrial
          ? options.runTrial(trial, next.targetEpochs)
          : runWorker(sweepDir, trial, next.targetEpochs, options));
        const epochs = refresh(sweepDir, next, state.metric, state.mode);
        const failed = (next.status as TrialState['status']) === 'failed';
        if (!failed) next.status = epochs >= next.targetEpochs ? 'done' : 'pending';
        writeSweepState(sweepDir, state);
        const best = next.best
          ? `best ${state.metric} ${next.best.value.toFixed(4)} at epoch ${next.best.epoch}`
          : 'no epoch finished';
        const after = Number.isFinite(epochs) ? `after ${epochs} epochs` : 'stopped early';
        options.print(
          `${next.id} ${failed ? `failed: ${next.error} (exit code ${code})` : `${next.status} ${after}, ${best}`}`,
        );
      }
    });
    await Promise.all(workers);
    if (options.signal?.aborted) return;
    if (eta && r < rungs.length - 1) {
      const ranked = active
        .filter((t) => t.best)
        .sort((a, b) =>
          state.mode === 'max' ? b.best!.value - a.best!.value : a.best!.value - b.best!.value,
        );
      const keep = Math.max(1, Math.ceil(ranked.length / eta));
      for (const t of ranked.slice(keep)) t.status = 'stopped';
      options.print(
        `rung ${r + 1}: keeping ${ranked
          .slice(0, keep)
          .map((t) => t.id)
          .join(', ')}; stopping ${
          ranked
            .slice(keep)
            .map((t) => t.id)
            .join(', ') || 'none'
        }`,
      );
      writeSweepState(sweepDir, state);
    }
  }
  const candidates = state.trials.filter((t) => t.best);
  const winner = candidates.sort((a, b) =>
    state.mode === 'max' ? b.best!.value - a.best!.value : a.best!.value - b.best!.value,
  )[0];
  if (winner)
    state.selection = {
      trial: winner.id,
      value: winner.best!.value,
      epoch: winner.best!.epoch,
      metric: state.metric,
    };
  state.status = state.trials.every((t) => t.status === 'done' || t.status === 'stopped')
    ? 'completed'
    : state.trials.some((t) => t.status === 'failed')
      ? 'failed'
      : 'running';
  writeSweepState(sweepDir, state);
}
