import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import {
  type MetricEntry,
  parseRunRecord,
  RUN_FILES,
  type RunArtifact,
  type RunRecord,
  type RunStatus,
} from '../record/format.js';
import { type NewRun, newRunRecord, type RunPatch, type RunSink } from '../record/sink.js';

/**
 * Writes one run directory: run.json (replaced atomically: temp file, fsync, rename),
 * metrics.jsonl (one JSON object per line, appended as training goes) and artifacts/.
 * Readers never see a half-written run.json, and tolerate a partial last metrics line.
 * `RunWriter.create('runs', newRun).dir` is runs/20261123-141502-quickstart-3fa2.
 */
export class RunWriter implements RunSink {
  /** The run directory, `<root>/<run-id>`. */
  readonly dir: string;
  #record: RunRecord;

  private constructor(dir: string, record: RunRecord) {
    this.dir = dir;
    this.#record = record;
  }

  /** Creates `<root>/<run-id>/` with status 'running'. */
  static create(root: string, run: NewRun): RunWriter {
    const record = newRunRecord(run, new Date(), randomBytes(2).toString('hex'));
    const dir = join(root, record.id);
    mkdirSync(join(dir, RUN_FILES.artifacts), { recursive: true });
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

  /** The run id (the directory's name). */
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
  update(patch: RunPatch): void {
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
  finish(status: Exclude<RunStatus, 'running'>, patch: RunPatch = {}): void {
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
