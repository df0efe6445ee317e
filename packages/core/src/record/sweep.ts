import { z } from 'zod';
import { describeIssues, writerSchema } from './format.js';

/** Version tag written into every sweep.json: `readSweepState(dir).format` is 'tunelab.sweep/1'. */
export const SWEEP_FORMAT = 'tunelab.sweep/1';

/** The file at the root of a sweep directory (its trials are run directories beside it). */
export const SWEEP_FILE = 'sweep.json';

/**
 * Validates a trial's status: pending (not started), queued (waiting in the queue for a
 * worker, `tunelab sweep --queue`), running, done (reached its epoch target), stopped (halted
 * by successive halving) or failed.
 */
export const trialStatusSchema = z.enum([
  'pending',
  'queued',
  'running',
  'done',
  'stopped',
  'failed',
]);

/** How an attempt ended: still running, or completed, failed, interrupted (handed back), lost (its worker vanished). */
export const attemptOutcomeSchema = z.enum([
  'running',
  'completed',
  'failed',
  'interrupted',
  'lost',
]);

/** One start of a trial on a worker: which machine, which backend, how it ended. */
export const trialAttemptSchema = z.object({
  /** Id of the attempt: '<worker>#<n>', unique within its job. */
  id: z.string(),
  /** The queue job ('<sweep folder>.<trial>', plus '.e<N>' for a halving rung's target). */
  job: z.string(),
  /** 1 for the first start of the trial, 2 for the next, ... */
  number: z.number().int().positive(),
  /** The worker's name (`tunelab worker --name`, default <host>-<pid>). */
  worker: z.string(),
  /** The worker's machine (os.hostname()). */
  host: z.string(),
  /** The tfjs backend train chose there, once known. */
  backend: z.string().optional(),
  /** Epochs already finished when it started (0: from scratch; more: resumed from the checkpoint). */
  fromEpoch: z.number().int().nonnegative(),
  /** When it started (ISO 8601). */
  startedAt: z.string(),
  /** When it ended (ISO 8601), if it did. */
  endedAt: z.string().optional(),
  /** How it ended (see {@link attemptOutcomeSchema}). */
  outcome: attemptOutcomeSchema,
  /** Why it failed, when it did. */
  error: z.string().optional(),
});
/** One start of a trial on a worker. */
export type TrialAttempt = z.infer<typeof trialAttemptSchema>;

/** Validates one trial of sweep.json ({@link TrialState}). */
export const trialStateSchema = z.object({
  /** Stable id, also the run directory's name: 't01', 't02', ... */
  id: z.string().min(1),
  /** 'model=cnn4 setting=lr 0.01', or the value of a single grid axis. */
  label: z.string(),
  /** Position on each named axis, e.g. { filters: '16', 'batch norm': 'yes' }. */
  axes: z.record(z.string(), z.string()),
  /** Dotted paths -> values applied to the base experiment, e.g. { 'model.layers[0].conv2d.filters': 16 }. */
  overrides: z.record(z.string(), z.unknown()),
  /** An explicit trial's cell title ("15 epochs, lr 0.005"); absent for axes/grid products. */
  title: z.string().optional(),
  /** Where the trial stands ({@link trialStatusSchema}). */
  status: trialStatusSchema,
  /** Epochs this trial should reach (its own, or a halving rung). */
  targetEpochs: z.number().int().nonnegative(),
  /** Best value of the selection metric and its epoch, from the trial's metrics. */
  best: z
    .object({
      /** The best value of the sweep's metric. */
      value: z.number(),
      /** The 1-based epoch where it was reached. */
      epoch: z.number().int(),
    })
    .optional(),
  /** Why a failed trial failed. */
  error: z.string().optional(),
  /** Queue sweeps: epochs finished so far, as last uploaded by the worker. */
  epoch: z.number().int().nonnegative().optional(),
  /** Queue sweeps: the worker of the latest attempt (its name, machine and backend). */
  worker: z
    .object({
      /** The worker's name. */
      id: z.string(),
      /** Its machine. */
      host: z.string(),
      /** The backend it trains on, once known. */
      backend: z.string().optional(),
    })
    .optional(),
  /** Queue sweeps: every start of the trial on a worker, oldest first. */
  attempts: z.array(trialAttemptSchema).optional(),
});
/** One trial of a sweep and its progress. */
export type TrialState = z.infer<typeof trialStateSchema>;

/** Validates the selection of a sweep (its best trial by the metric, on validation data). */
export const sweepSelectionSchema = z.object({
  /** The trial's id. */
  trial: z.string(),
  /** Its best value of the metric. */
  value: z.number(),
  /** The epoch of that value. */
  epoch: z.number().int(),
  /** The metric compared, e.g. 'valAccuracy'. */
  metric: z.string(),
});
/** The best trial of a sweep by its selection metric (validation data, never test). */
export type SweepSelection = z.infer<typeof sweepSelectionSchema>;

/**
 * Validates a sweep.json ({@link SweepState}); {@link parseSweepState} names the file on error.
 * `sweepStateSchema.parse(JSON.parse(readFileSync('sweep.json', 'utf8'))).trials.length`.
 */
export const sweepStateSchema = z.object({
  /** Always {@link SWEEP_FORMAT}, 'tunelab.sweep/1'. */
  format: z.literal(SWEEP_FORMAT),
  /** The experiment's name. */
  name: z.string(),
  /** The experiment file the sweep came from. */
  file: z.string(),
  /** Digest of the planned trials: the same file gives the same sweep folder. */
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
  /** Whether larger ('max') or smaller ('min') values of the metric are better. */
  mode: z.enum(['min', 'max']),
  /** Epochs of the successive-halving rungs, or null without halving. */
  rungs: z.array(z.number().int().positive()).nullable(),
  /** Every trial, in plan order. */
  trials: z.array(trialStateSchema),
  /** The best trial by the selection metric on validation data (never test). */
  selection: sweepSelectionSchema.optional(),
  /** The sweep process that writes (or last wrote) the file, with its heartbeat. */
  writer: writerSchema.optional(),
});
/** sweep.json: the plan and the progress of every trial of a sweep. */
export type SweepState = z.infer<typeof sweepStateSchema>;

/**
 * Validates a parsed sweep.json, naming the file and field on error.
 * `parseSweepState({ format: 'x' }, 'sweep.json')` throws 'sweep.json: format: ...'.
 */
export function parseSweepState(json: unknown, source: string = SWEEP_FILE): SweepState {
  const parsed = sweepStateSchema.safeParse(json);
  if (!parsed.success) throw new Error(`${source}: ${describeIssues(parsed.error)}`);
  return parsed.data;
}
