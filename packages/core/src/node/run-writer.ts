import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import {
  type MetricEntry,
  makeRunId,
  parseRunRecord,
  RUN_FILES,
  RUN_FORMAT,
  type RunArtifact,
  type RunEnvironment,
  type RunRecord,
  type RunStatus,
} from '../record/format.js';

/** What a new run starts with. */
export interface NewRun {
  name: string;
  config: Record<string, unknown>;
  seed: number;
  environment: RunEnvironment;
  data?: Record<string, unknown>;
  /** Planned epochs. */
  epochs: number;
  /** Use this id instead of a generated one (sweeps name their trials). */
  id?: string;
}

/**
 * Writes one run directory: run.json (replaced atomically: temp file, fsync, rename),
 * metrics.jsonl (one JSON object per line, appended as training goes) and artifacts/.
 * Readers never see a half-written run.json, and tolerate a partial last metrics line.
 */
export class RunWriter {
  readonly dir: string;
  #record: RunRecord;

  private constructor(dir: string, record: RunRecord) {
    this.dir = dir;
    this.#record = record;
  }

  /** Creates `<root>/<run-id>/` with status 'running'. */
  static create(root: string, run: NewRun): RunWriter {
    const now = new Date();
    const id = run.id ?? makeRunId(run.name, now, randomBytes(2).toString('hex'));
    const dir = join(root, id);
    mkdirSync(join(dir, RUN_FILES.artifacts), { recursive: true });
    const record: RunRecord = {
      format: RUN_FORMAT,
      id,
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
    const writer = new RunWriter(dir, record);
    appendFileSync(join(dir, RUN_FILES.metrics), '');
    writer.#flush();
    return writer;
  }

  /** Reopens an existing run directory to continue writing it (resume, test evaluation). */
  static open(dir: string): RunWriter {
    const path = join(dir, RUN_FILES.record);
    const record = parseRunRecord(JSON.parse(readFileSync(path, 'utf8')), path);
    return new RunWriter(dir, record);
  }

  get id(): string {
    return this.#record.id;
  }

  /** A copy of the record as last written. */
  get record(): RunRecord {
    return structuredClone(this.#record);
  }

  /** Appends one line to metrics.jsonl (a single write of a complete line). */
  appendMetrics(entry: MetricEntry): void {
    appendFileSync(join(this.dir, RUN_FILES.metrics), `${JSON.stringify(entry)}\n`);
  }

  /**
   * Replaces metrics.jsonl atomically with `entries` (resume keeps the lines up to the
   * checkpoint and drops those of work that will be redone).
   */
  rewriteMetrics(entries: readonly MetricEntry[]): void {
    writeFileAtomic.sync(
      join(this.dir, RUN_FILES.metrics),
      entries.map((e) => `${JSON.stringify(e)}\n`).join(''),
    );
  }

  /** Merges `patch` into run.json and rewrites it atomically. */
  update(patch: Partial<Omit<RunRecord, 'format' | 'id' | 'createdAt'>>): void {
    this.#record = { ...this.#record, ...patch };
    this.#flush();
  }

  /** Writes `artifacts/<name>` atomically and lists it in run.json. Returns the absolute path. */
  writeArtifact(
    name: string,
    data: string | Uint8Array,
    kind: string,
    description?: string,
  ): string {
    if (!/^[\w.-]+$/.test(name))
      throw new Error(`artifact name "${name}" must be a plain file name`);
    const relative = `${RUN_FILES.artifacts}/${name}`;
    const absolute = join(this.dir, relative);
    writeFileAtomic.sync(
      absolute,
      typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength),
    );
    const artifact: RunArtifact = { path: relative, kind, ...(description ? { description } : {}) };
    const artifacts = this.#record.artifacts.filter((a) => a.path !== relative).concat(artifact);
    this.update({ artifacts });
    return absolute;
  }

  /** Sets the final status (and error, if any) with the end time. */
  finish(status: Exclude<RunStatus, 'running'>, patch: Partial<RunRecord> = {}): void {
    this.update({ ...patch, status, endedAt: new Date().toISOString() });
  }

  #flush(): void {
    this.#record.updatedAt = new Date().toISOString();
    writeFileAtomic.sync(
      join(this.dir, RUN_FILES.record),
      `${JSON.stringify(this.#record, null, 2)}\n`,
    );
  }
}
