import type {
  MetricEntry,
  RunDetail,
  RunRecord,
  RunsListing,
  RunUpload,
  ServedDataset,
  SweepDetail,
} from '@tunelab/core/record';

/*
 * Where the app reads runs from: the `tunelab ui` server (live), or run directories the user
 * opened in the browser (no server). The shapes of the server's JSON API are the record
 * contract of @tunelab/core/record, declared there once.
 */

/** What following a run reports (GET /api/runs/:id/events). */
export interface RunWatcher {
  snapshot(record: RunRecord, metrics: MetricEntry[]): void;
  metrics(entries: MetricEntry[]): void;
  record(record: RunRecord): void;
  problem(message: string): void;
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
