import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { thisWriter, writeFileDurable } from '@tunelab/core/node';
import { describeIssues, writerSchema } from '@tunelab/core/record';
import { z } from 'zod';

/** The file at the root of a sweep directory. */
export const SWEEP_FILE = 'sweep.json';

/** Validates one trial of sweep.json ({@link TrialState}). */
export const trialStateSchema = z.object({
  /** Trial id, also its run directory's name: 't01'. */
  id: z.string().min(1),
  /** The trial's setting in words: 'mlp2 / 3 epochs'. */
  label: z.string(),
  /** The value of each axis for this trial, by axis name. */
  axes: z.record(z.string(), z.string()),
  /** The experiment fields this trial overrides. */
  overrides: z.record(z.string(), z.unknown()),
  /** An explicit trial's cell title ("15 epochs, lr 0.005"); absent for axes/grid products. */
  title: z.string().optional(),
  /**
   * pending: not started; running: a worker trains it; done: reached its epoch target;
   * stopped: halted by successive halving; failed: its run failed (see `error`).
   */
  status: z.enum(['pending', 'running', 'done', 'stopped', 'failed']),
  /** Epochs this trial should reach (its own, or a halving rung). */
  targetEpochs: z.number().int(),
  /** Best value of the selection metric and its epoch, from the trial's metrics. */
  best: z.object({ value: z.number(), epoch: z.number().int() }).optional(),
  /** Why the trial failed. */
  error: z.string().optional(),
});
/** Where each trial stands. */
export type TrialState = z.infer<typeof trialStateSchema>;

/** Validates sweep.json ({@link SweepState}); {@link readSweepState} names the file and field. */
export const sweepStateSchema = z.object({
  /** Always 'tunelab.sweep/1'. */
  format: z.literal('tunelab.sweep/1'),
  /** The experiment's name. */
  name: z.string(),
  /** The experiment file the sweep was planned from. */
  file: z.string(),
  /** Digest of the planned trials (part of the folder name). */
  digest: z.string(),
  /** When the sweep started (ISO 8601). */
  createdAt: z.string(),
  /** When sweep.json was last written (ISO 8601). */
  updatedAt: z.string(),
  /**
   * running: a sweep process runs it (see `writer`); completed: every trial done or stopped;
   * interrupted: Ctrl-C (re-run the command to resume); failed: a trial failed.
   */
  status: z.enum(['running', 'completed', 'interrupted', 'failed']),
  /** The selection metric, e.g. 'valAccuracy'. */
  metric: z.string(),
  /** Whether larger ('max') or smaller ('min') values of `metric` are better. */
  mode: z.enum(['min', 'max']),
  /** Successive-halving rungs (epochs), or null. */
  rungs: z.array(z.number()).nullable(),
  /** Every trial and where it stands. */
  trials: z.array(trialStateSchema),
  /** The best trial by the selection metric on validation data (never test). */
  selection: z
    .object({
      /** Trial id. */
      trial: z.string(),
      /** Its best value of `metric`. */
      value: z.number(),
      /** The epoch of that value. */
      epoch: z.number().int(),
      /** The metric compared. */
      metric: z.string(),
    })
    .optional(),
  /** The sweep process that writes (or last wrote) the file, with its heartbeat. */
  writer: writerSchema.optional(),
});
/** sweep.json: the plan and the progress of every trial. */
export type SweepState = z.infer<typeof sweepStateSchema>;

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
  const parsed = sweepStateSchema.safeParse(json);
  if (!parsed.success) throw new Error(`${path}: ${describeIssues(parsed.error)}`);
  return parsed.data;
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
