import {
  type MetricEntry,
  makeRunId,
  RUN_FILES,
  RUN_FORMAT,
  type RunArtifact,
  type RunEnvironment,
  type RunRecord,
  type RunStatus,
} from './format.js';

/** What a new run starts with. */
export interface NewRun {
  /** The experiment's name ('quickstart'); part of the run id. */
  name: string;
  /** The experiment as run, JSON-ready. */
  config: Record<string, unknown>;
  /** The seed the run derives all randomness from. */
  seed: number;
  /** Where it runs (describeEnvironment from @tunelab/core/node gives it in Node). */
  environment: RunEnvironment;
  /** Where the data came from and how it was split. */
  data?: Record<string, unknown>;
  /** Planned epochs. */
  epochs: number;
  /** Use this id instead of a generated one (sweeps name their trials). */
  id?: string;
}

/** A patch of run.json: anything but its identity. */
export type RunPatch = Partial<Omit<RunRecord, 'format' | 'id' | 'createdAt'>>;

/**
 * Where a run is recorded while it trains: a run directory on disk (RunWriter, from
 * `@tunelab/core/node`) or memory in a browser ({@link MemoryRun}). {@link recordRun} writes
 * training into either.
 */
export interface RunSink {
  /** A copy of the record as it stands. */
  readonly record: RunRecord;
  /** Adds one line of metrics.jsonl. */
  appendMetrics(entry: MetricEntry): void;
  /** Merges `patch` into run.json. */
  update(patch: RunPatch): void;
  /** Sets the final status (and error, if any) with the end time. */
  finish(status: Exclude<RunStatus, 'running'>, patch?: RunPatch): void;
  /**
   * Writes `artifacts/<name>` (a plain file name) and lists it in the record, replacing an
   * artifact of that name; returns where it went (a path on disk, or 'artifacts/<name>').
   * Checkpoints, best weights and images go through here on disk and in memory alike.
   */
  writeArtifact(
    name: string,
    data: string | Uint8Array,
    kind: string,
    description?: string,
  ): string;
}

/**
 * The record of a run that starts now: status 'running', nothing done yet.
 * `newRunRecord(run, now, '3fa2')` has status 'running', progress { epoch: 0, epochs, step: 0 }.
 */
export function newRunRecord(run: NewRun, now: Date, suffix: string): RunRecord {
  return {
    format: RUN_FORMAT,
    id: run.id ?? makeRunId(run.name, now, suffix),
    name: run.name,
    status: 'running',
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    config: run.config,
    seed: run.seed,
    environment: run.environment,
    ...(run.data ? { data: run.data } : {}),
    progress: { epoch: 0, epochs: run.epochs, step: 0 },
    testEvaluations: [],
    artifacts: [],
  };
}

/** An artifact of a {@link MemoryRun}: its file name, type and contents. */
export interface MemoryArtifact {
  /** File name under artifacts/, e.g. 'learning-curve.svg'. */
  readonly name: string;
  /** Media type, e.g. 'image/svg+xml'. */
  readonly kind: string;
  /** What it is, in words. */
  readonly description?: string;
  /** The contents: text or bytes. */
  readonly data: string | Uint8Array;
}

/**
 * A run recorded in memory, for places with no file system (a browser): the same record and
 * metrics lines a run directory holds, plus artifacts, ready to be uploaded or downloaded as
 * files. `onChange` hears every change (live charts).
 * ```ts
 * const run = new MemoryRun({ name: 'browser', config, seed: 1, environment, epochs: 5 });
 * await fit(model, { ..., callbacks: [recordRun(run)] });
 * run.metrics.length; // 5 epoch lines
 * ```
 */
export class MemoryRun implements RunSink {
  #record: RunRecord;
  readonly #metrics: MetricEntry[] = [];
  readonly #artifacts = new Map<string, MemoryArtifact>();
  readonly #listeners = new Set<() => void>();

  /** Starts a run now; the id is made like `tunelab train`'s unless `run.id` is given. */
  constructor(run: NewRun, now: Date = new Date()) {
    const suffix = Math.floor(Math.random() * 0x10000)
      .toString(16)
      .padStart(4, '0');
    this.#record = newRunRecord(run, now, suffix);
  }

  get record(): RunRecord {
    return structuredClone(this.#record);
  }

  /** The metrics lines so far (a copy). */
  get metrics(): MetricEntry[] {
    return this.#metrics.map((m) => structuredClone(m));
  }

  /** The artifacts written so far (a copy of the list). */
  get artifacts(): MemoryArtifact[] {
    return [...this.#artifacts.values()];
  }

  /** Calls `listener` after every change; returns a function that removes it. */
  onChange(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  appendMetrics(entry: MetricEntry): void {
    this.#metrics.push(structuredClone(entry));
    this.#changed();
  }

  update(patch: RunPatch): void {
    this.#record = { ...this.#record, ...patch, updatedAt: new Date().toISOString() };
    this.#changed();
  }

  /** Adds (or replaces) `artifacts/<name>` and lists it in the record; returns 'artifacts/<name>'. */
  writeArtifact(
    name: string,
    data: string | Uint8Array,
    kind: string,
    description?: string,
  ): string {
    if (!/^[\w.-]+$/.test(name))
      throw new Error(`artifact name "${name}" must be a plain file name`);
    this.#artifacts.set(name, { name, kind, data, ...(description ? { description } : {}) });
    const path = `${RUN_FILES.artifacts}/${name}`;
    const artifact: RunArtifact = { path, kind, ...(description ? { description } : {}) };
    this.update({
      artifacts: this.#record.artifacts.filter((a) => a.path !== path).concat(artifact),
    });
    return path;
  }

  finish(status: Exclude<RunStatus, 'running'>, patch: RunPatch = {}): void {
    this.update({ ...patch, status, endedAt: new Date().toISOString() });
  }

  /** metrics.jsonl as text: one JSON object per line. */
  metricsText(): string {
    return this.#metrics.map((m) => `${JSON.stringify(m)}\n`).join('');
  }

  /** run.json as text, as a run directory holds it. */
  recordText(): string {
    return `${JSON.stringify(this.#record, null, 2)}\n`;
  }

  #changed(): void {
    for (const listener of this.#listeners) listener();
  }
}
