import { z } from 'zod';
import { artifactSchema, metricEntrySchema, runRecordSchema } from './format.js';
import {
  type SweepState,
  sweepSelectionSchema,
  sweepStateSchema,
  trialStateSchema,
} from './sweep.js';

/*
 * The JSON API of the dashboard (`tunelab ui` serves it, the web app reads it): one zod schema
 * per response, declared here once and imported by both sides.
 */

/** Validates a run as GET /api/runs lists it ({@link RunListing}). */
export const runListingSchema = z.object({
  /** Path of the run directory below the runs directory ('sweep-demo-1a2b3c4d/t01'). */
  id: z.string(),
  /** Id of the sweep directory holding the run, or null. */
  sweep: z.string().nullable(),
  /** Its run.json, with the status to show (a `running` record whose writer is gone reads 'interrupted'). */
  record: runRecordSchema,
  /** Why record.status differs from the file's, e.g. 'its writer (pid 4242 on lab-1) is gone'. */
  statusNote: z.string().optional(),
  /** Lines of its files that could not be read, e.g. 'metrics.jsonl:3: not valid JSON: ...'. */
  problems: z.array(z.string()).optional(),
});
/** A run as lists show it: its id, its sweep and its record. */
export type RunListing = z.infer<typeof runListingSchema>;

/** Validates a run directory that could not be read ({@link RunProblem}). */
export const runProblemSchema = z.object({
  /** Path of the directory below the runs directory. */
  id: z.string(),
  /** Why it could not be read. */
  error: z.string(),
});
/** A run directory that could not be read, and why (listed instead of failing the list). */
export type RunProblem = z.infer<typeof runProblemSchema>;

/** Validates GET /api/runs ({@link RunsResponse}). */
export const runsResponseSchema = z.object({
  /** The runs, oldest first. */
  runs: z.array(runListingSchema),
  /** The directories that could not be read. */
  problems: z.array(runProblemSchema),
});
/** GET /api/runs: every run below the runs directory, and the ones that could not be read. */
export type RunsResponse = z.infer<typeof runsResponseSchema>;

/** Validates an artifact as GET /api/runs/:id lists it ({@link ArtifactListing}). */
export const artifactListingSchema = artifactSchema.extend({
  /** File name under artifacts/. */
  name: z.string(),
  /** Size in bytes. */
  bytes: z.number().int().nonnegative(),
});
/** A file in a run's artifacts/ folder, described by run.json where it lists it. */
export type ArtifactListing = z.infer<typeof artifactListingSchema>;

/** Validates GET /api/runs/:id ({@link RunDetail}). */
export const runDetailSchema = runListingSchema.extend({
  /** The files in the run's artifacts/ folder. */
  artifacts: z.array(artifactListingSchema),
});
/** A run with its artifacts listed (GET /api/runs/:id). */
export type RunDetail = z.infer<typeof runDetailSchema>;

/** Validates GET /api/runs/:id/metrics ({@link RunMetricsResponse}). */
export const runMetricsResponseSchema = z.object({
  /** The run's id. */
  id: z.string(),
  /** Its metrics.jsonl lines (the readable ones). */
  metrics: z.array(metricEntrySchema),
  /** Lines that could not be read, e.g. 'metrics.jsonl:3: not valid JSON: ...'. */
  problems: z.array(z.string()).optional(),
});
/** GET /api/runs/:id/metrics: a run's metrics lines. */
export type RunMetricsResponse = z.infer<typeof runMetricsResponseSchema>;

/** Validates a sweep as GET /api/sweeps lists it ({@link SweepListing}). */
export const sweepListingSchema = sweepStateSchema
  .pick({ name: true, metric: true, mode: true, createdAt: true, updatedAt: true })
  .extend({
    /**
     * The status to show: sweep.json's, 'interrupted' when its `running` writer is gone, or
     * 'unreadable' when sweep.json cannot be read (see `problem`).
     */
    status: z.enum(['running', 'completed', 'interrupted', 'failed', 'unreadable']),
    /** Why the shown status differs from sweep.json's. */
    statusNote: z.string().optional(),
    /** What is wrong with sweep.json, when it cannot be read (status 'unreadable'). */
    problem: z.string().optional(),
    /** Path of the sweep directory below the runs directory. */
    id: z.string(),
    /** Number of trials. */
    trials: z.number().int().nonnegative(),
    /** Trials done or stopped. */
    done: z.number().int().nonnegative(),
    /** The best trial so far, or null. */
    selection: sweepSelectionSchema.nullable(),
  });
/** A sweep as listed: its state without the trials, with counts. */
export type SweepListing = z.infer<typeof sweepListingSchema>;

/** Validates GET /api/sweeps ({@link SweepsResponse}). */
export const sweepsResponseSchema = z.object({
  /** The sweeps, oldest first. */
  sweeps: z.array(sweepListingSchema),
});
/** GET /api/sweeps: every sweep below the runs directory. */
export type SweepsResponse = z.infer<typeof sweepsResponseSchema>;

/** Validates a trial with the id of its run directory ({@link TrialWithRun}). */
export const trialWithRunSchema = trialStateSchema.extend({
  /** The trial's run id (below the runs directory), or null until the trial has started. */
  runId: z.string().nullable(),
});
/** A trial of a sweep (sweep.json) with its run id. */
export type TrialWithRun = z.infer<typeof trialWithRunSchema>;

/** Validates GET /api/sweeps/:id ({@link SweepDetail}). */
export const sweepDetailSchema = sweepListingSchema.omit({ trials: true, done: true }).extend({
  /** The sweep's axis names (grid paths or named axes), in plan order. */
  axes: z.array(z.string()),
  /** Successive-halving rungs, or null. */
  rungs: sweepStateSchema.shape.rungs,
  /** Every trial with its run id. */
  trials: z.array(trialWithRunSchema),
});
/** A sweep with its trials (GET /api/sweeps/:id). */
export type SweepDetail = z.infer<typeof sweepDetailSchema>;

/** Validates a dataset the server offers for in-browser training ({@link ServedDataset}). */
export const servedDatasetSchema = z.object({
  /** Registry name ('fashion-mnist'). */
  name: z.string(),
  /** Display name. */
  title: z.string(),
  /** Class names in label order. */
  classes: z.array(z.string()),
  /** Part name ('train', 'test') -> its files, as the browser asks for them. */
  parts: z.record(
    z.string(),
    z.array(
      z.object({
        /** File name, e.g. 'train-images-idx3-ubyte.gz'. */
        name: z.string(),
        /** Size in bytes. */
        bytes: z.number().int().nonnegative(),
      }),
    ),
  ),
});
/** A dataset file set the server can hand to in-browser training. */
export type ServedDataset = z.infer<typeof servedDatasetSchema>;

/** Validates GET /api/datasets ({@link DatasetsResponse}). */
export const datasetsResponseSchema = z.object({
  /** The IDX datasets found on the server's machine. */
  datasets: z.array(servedDatasetSchema),
});
/** GET /api/datasets: the datasets the browser can train on. */
export type DatasetsResponse = z.infer<typeof datasetsResponseSchema>;

/**
 * A plain file or folder name: letters, digits, '.', '_' and '-', at most 100 characters, not
 * '.' or '..' (which name folders, not files).
 */
const plainName = (what: string) =>
  z
    .string()
    .max(100, `expected a plain ${what} name of at most 100 characters`)
    .regex(/^[\w.-]+$/, `expected a plain ${what} name (letters, digits, . _ -)`)
    .refine((name) => !/^\.+$/.test(name), `expected a plain ${what} name, not dots only`);

/** Validates an artifact sent with an uploaded run ({@link UploadArtifact}). */
export const uploadArtifactSchema = z.object({
  /** Written as artifacts/<name>; letters, digits, '.', '_' and '-' only, not dots only. */
  name: plainName('file'),
  /** Media type, e.g. 'application/json'. */
  kind: z.string(),
  /** What it is, in words. */
  description: z.string().optional(),
  /** 'utf8' text (JSON, SVG) or 'base64' bytes (weights, PNG). */
  encoding: z.enum(['utf8', 'base64']),
  /** The contents in that encoding. */
  data: z.string(),
});
/** An artifact of an uploaded run: a plain file name and its contents. */
export type UploadArtifact = z.infer<typeof uploadArtifactSchema>;

/**
 * Validates the body of POST /api/runs ({@link RunUpload}): a run trained in the browser in
 * the run record format, its metrics lines and artifacts. The record's id becomes the
 * directory name.
 */
export const runUploadSchema = z.object({
  /** The run's run.json; it must have ended. */
  record: runRecordSchema.extend({
    /** Becomes the directory name: letters, digits, '.', '_' and '-' only, at most 100. */
    id: plainName('directory'),
    /** An uploaded run has ended. */
    status: z.enum(['completed', 'stopped', 'interrupted', 'failed']),
  }),
  /** Its metrics.jsonl lines. */
  metrics: z.array(metricEntrySchema),
  /** Its artifacts, each name once. */
  artifacts: z
    .array(uploadArtifactSchema)
    .default([])
    .refine(
      (list) => new Set(list.map((a) => a.name)).size === list.length,
      'two artifacts have the same name',
    ),
});
/** The body of POST /api/runs. */
export type RunUpload = z.infer<typeof runUploadSchema>;

/** Validates GET /api/info ({@link ServerInfo}). */
export const serverInfoSchema = z.object({
  /** Always 'tunelab'. */
  name: z.literal('tunelab'),
  /** The CLI's version. */
  version: z.string(),
  /** The name of the runs directory served (never its absolute path). */
  runsDir: z.string(),
  /** Whether POST /api/runs accepts runs. */
  upload: z.boolean(),
  /** The per-start token that writes must carry (X-Tunelab-Token), when uploads are on. */
  token: z.string().optional(),
});
/** GET /api/info: what the server is and where its runs are. */
export type ServerInfo = z.infer<typeof serverInfoSchema>;

/**
 * A sweep.json as GET /api/sweeps/:id serves it: the state with its axis names and each
 * trial's run id (`runIdOf` says where a trial's run directory is, or null before it starts).
 * The server and the dashboard opened on local files build it the same way.
 */
export function sweepDetailOf(
  id: string,
  state: SweepState,
  runIdOf: (trialId: string) => string | null,
): SweepDetail {
  return {
    id,
    name: state.name,
    status: state.status,
    metric: state.metric,
    mode: state.mode,
    createdAt: state.createdAt,
    updatedAt: state.updatedAt,
    selection: state.selection ?? null,
    axes: [...new Set(state.trials.flatMap((t) => Object.keys(t.axes)))],
    rungs: state.rungs,
    trials: state.trials.map((t) => ({ ...t, runId: runIdOf(t.id) })),
  };
}

/** A sweep as GET /api/sweeps lists it, from its detail: counts instead of trials. */
export function sweepListingOf(detail: SweepDetail): SweepListing {
  const { axes: _axes, rungs: _rungs, trials, ...rest } = detail;
  return {
    ...rest,
    trials: trials.length,
    done: trials.filter((t) => t.status === 'done' || t.status === 'stopped').length,
  };
}

/**
 * Validates the listing of runs and sweeps together ({@link RunsListing}): what GET
 * /api/events sends as its 'runs' event whenever a run or sweep changes, and what the
 * dashboard's runs page shows (a server's or files opened in the browser).
 */
export const runsListingSchema = runsResponseSchema.extend({
  /** The sweeps below the runs directory. */
  sweeps: z.array(sweepListingSchema),
});
/** Every run and sweep below a runs directory, and the run directories that could not be read. */
export type RunsListing = z.infer<typeof runsListingSchema>;

/**
 * Validates one event of GET /api/runs/:id/events ({@link RunEvent}), told apart by `type`:
 * 'snapshot' (the state when following starts, and again when metrics.jsonl was replaced by a
 * resume), 'metrics' (complete lines appended since the last event), 'record' (run.json was
 * rewritten), 'problem' (a file could not be read or validated).
 */
export const runEventSchema = z.discriminatedUnion('type', [
  z.object({
    /** The state when following starts. */
    type: z.literal('snapshot'),
    /** run.json. */
    record: runRecordSchema,
    /** Every metrics line so far. */
    metrics: z.array(metricEntrySchema),
  }),
  z.object({
    /** Lines appended to metrics.jsonl. */
    type: z.literal('metrics'),
    /** The new lines (complete ones only). */
    entries: z.array(metricEntrySchema),
  }),
  z.object({
    /** run.json was rewritten, or its shown status changed (the writer died: 'interrupted'). */
    type: z.literal('record'),
    /** The new run.json, with the status to show. */
    record: runRecordSchema,
    /** Why the shown status differs from the file's. */
    statusNote: z.string().optional(),
  }),
  z.object({
    /** A file could not be read or validated (reported once until it reads again). */
    type: z.literal('problem'),
    /** What went wrong. */
    message: z.string(),
  }),
]);
/** An event of a followed run (GET /api/runs/:id/events); the event's name is its `type`. */
export type RunEvent = z.infer<typeof runEventSchema>;
