import type { MetricEntry, RunRecord } from '@tunelab/core/record';

/**
 * Where the app reads runs from: the `tunelab ui` server (live), or run directories the user
 * opened in the browser (no server). The shapes mirror the server's JSON API
 * (apps/cli/README.md, "tunelab ui").
 */

/** A run as lists show it: its id (path below the runs directory), its sweep and its record. */
export interface RunItem {
  readonly id: string;
  readonly sweep: string | null;
  readonly record: RunRecord;
}

/** A file in a run's artifacts/ folder. */
export interface ArtifactItem {
  readonly name: string;
  readonly path: string;
  readonly kind: string;
  readonly description?: string;
  readonly bytes: number;
}

/** A run with its artifacts listed (GET /api/runs/:id). */
export interface RunDetail extends RunItem {
  readonly artifacts: ArtifactItem[];
}

/** The runs list (GET /api/runs), with the sweeps (GET /api/sweeps). */
export interface RunsListing {
  readonly runs: RunItem[];
  readonly problems: ReadonlyArray<{ id: string; error: string }>;
  readonly sweeps: SweepItem[];
}

/** A sweep as listed. */
export interface SweepItem {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  readonly metric: string;
  readonly mode: 'min' | 'max';
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly trials: number;
  readonly done: number;
  readonly selection: { trial: string; value: number; epoch: number; metric: string } | null;
}

/** A trial of a sweep (sweep.json) with its run id (null before it started). */
export interface TrialItem {
  readonly id: string;
  readonly label: string;
  readonly axes: Readonly<Record<string, string>>;
  readonly overrides: Readonly<Record<string, unknown>>;
  readonly status: string;
  readonly targetEpochs: number;
  readonly best?: { value: number; epoch: number };
  readonly error?: string;
  readonly runId: string | null;
  /** Queue sweeps: epochs finished so far. */
  readonly epoch?: number;
  /** Queue sweeps: the worker of the latest attempt. */
  readonly worker?: { readonly id: string; readonly host: string; readonly backend?: string };
  /** Queue sweeps: every start of the trial on a worker, oldest first. */
  readonly attempts?: ReadonlyArray<TrialAttemptItem>;
}

/** One start of a queued trial on a worker (sweep.json's trials[].attempts[]). */
export interface TrialAttemptItem {
  readonly worker: string;
  readonly host: string;
  readonly backend?: string;
  /** Epochs finished before it started (more than 0: it resumed from a checkpoint). */
  readonly fromEpoch: number;
  /** running, completed, failed, interrupted (handed back) or lost (its worker vanished). */
  readonly outcome: string;
  readonly error?: string;
}

/** A sweep with its trials (GET /api/sweeps/:id). */
export interface SweepDetail extends Omit<SweepItem, 'trials' | 'done'> {
  readonly axes: string[];
  readonly rungs: readonly number[] | null;
  readonly trials: TrialItem[];
}

/** What following a run reports (GET /api/runs/:id/events). */
export interface RunWatcher {
  snapshot(record: RunRecord, metrics: MetricEntry[]): void;
  metrics(entries: MetricEntry[]): void;
  record(record: RunRecord): void;
  problem(message: string): void;
}

/** A dataset file the server offers for in-browser training. */
export interface ServedDataset {
  readonly name: string;
  readonly title: string;
  readonly classes: readonly string[];
  readonly parts: Readonly<Record<string, ReadonlyArray<{ name: string; bytes: number }>>>;
}

/** A run sent to the server (POST /api/runs). */
export interface RunUpload {
  readonly record: RunRecord;
  readonly metrics: readonly MetricEntry[];
  readonly artifacts: ReadonlyArray<{
    name: string;
    kind: string;
    description?: string;
    encoding: 'utf8' | 'base64';
    data: string;
  }>;
}

/** A place runs are read from. */
export interface RunSource {
  readonly kind: 'server' | 'files';
  /** Where the runs are ("/home/me/runs", or the folder opened). */
  readonly label: string;
  listing(): Promise<RunsListing>;
  /** Calls `onChange` with the listing whenever it changes; returns a function that stops. Server only. */
  watchListing?(onChange: (listing: RunsListing) => void): () => void;
  run(id: string): Promise<RunDetail>;
  metrics(id: string): Promise<MetricEntry[]>;
  /** Follows a run being written; returns a function that stops. Server only. */
  watchRun?(id: string, watcher: RunWatcher): () => void;
  /** A URL the browser can open for an artifact. */
  artifactUrl(id: string, name: string): string;
  artifactText(id: string, name: string): Promise<string>;
  sweep(id: string): Promise<SweepDetail>;
  /** Saves a run trained in the browser into the runs directory. Server only. */
  upload?(run: RunUpload): Promise<{ id: string }>;
  /** Datasets for in-browser training. Server only. */
  datasets?(): Promise<ServedDataset[]>;
  datasetFileUrl?(name: string, file: string): string;
}
