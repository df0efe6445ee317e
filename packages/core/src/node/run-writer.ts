import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  type MetricEntry,
  parseRunRecord,
  RUN_FILES,
  type RunArtifact,
  type RunRecord,
  type RunStatus,
} from '../record/format.js';
import { HEARTBEAT_MS } from '../record/liveness.js';
import { type NewRun, newRunRecord, type RunPatch, type RunSink } from '../record/sink.js';
import {
  appendFileDurable,
  ensureWritableFolder,
  isTempName,
  writeFileDurable,
} from './durable-write.js';
import { thisWriter } from './liveness.js';

/**
 * Writes one run directory: run.json (replaced whole or not at all: temp file, every byte
 * checked, fsync, rename, folder fsync), metrics.jsonl (whole lines appended and fsynced; a
 * failed append is cut back) and artifacts/ (written like run.json). A write that fails throws
 * a FileWriteError naming the file, the bytes needed and the reason, and leaves the previous
 * file as it was. run.json names its writer (pid, host) with a heartbeat refreshed every
 * {@link HEARTBEAT_MS} while the run is `running`, so readers can tell a killed run.
 * `RunWriter.create('runs', newRun).dir` is runs/20261123-141502-quickstart-3fa2.
 */
export class RunWriter implements RunSink {
  /** The run directory, `<root>/<run-id>`. */
  readonly dir: string;
  #record: RunRecord;
  #lastFlush = 0;
  #heartbeat: NodeJS.Timeout | undefined;

  private constructor(dir: string, record: RunRecord) {
    this.dir = dir;
    this.#record = record;
  }

  /**
   * Creates `<root>/<run-id>/` with status 'running'. A root that cannot be written is a
   * FileWriteError naming it ("runs: read-only file system").
   */
  static create(root: string, run: NewRun): RunWriter {
    const record = newRunRecord(run, new Date(), randomBytes(2).toString('hex'));
    const dir = join(root, record.id);
    ensureWritableFolder(join(dir, RUN_FILES.artifacts));
    const writer = new RunWriter(dir, record);
    appendFileDurable(join(dir, RUN_FILES.metrics), '');
    writer.#flush(record);
    return writer;
  }

  /**
   * Reopens an existing run directory to continue writing it (resume, test evaluation); the
   * caller makes sure its previous writer is gone (`currentStatus`). Temp files that writer
   * left (killed between writing one and renaming it) are removed.
   */
  static open(dir: string): RunWriter {
    const path = join(dir, RUN_FILES.record);
    const record = parseRunRecord(JSON.parse(readFileSync(path, 'utf8')), path);
    for (const folder of [dir, join(dir, RUN_FILES.artifacts)]) {
      let names: string[] = [];
      try {
        names = readdirSync(folder);
      } catch {
        // No artifacts folder yet.
      }
      for (const name of names.filter(isTempName)) rmSync(join(folder, name), { force: true });
    }
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

  /** Appends one complete line to metrics.jsonl (all or nothing, fsynced). */
  appendMetrics(entry: MetricEntry): void {
    appendFileDurable(join(this.dir, RUN_FILES.metrics), `${JSON.stringify(entry)}\n`);
  }

  /**
   * Replaces metrics.jsonl atomically with `entries` (resume keeps the lines up to the
   * checkpoint and drops those of work that will be redone).
   */
  rewriteMetrics(entries: readonly MetricEntry[]): void {
    writeFileDurable(
      join(this.dir, RUN_FILES.metrics),
      entries.map((e) => `${JSON.stringify(e)}\n`).join(''),
    );
  }

  /** Merges `patch` into run.json and rewrites it atomically (unchanged when the write fails). */
  update(patch: RunPatch): void {
    this.#flush({ ...this.#record, ...patch });
  }

  /**
   * Writes `artifacts/<name>` completely or not at all and lists it in run.json. Returns the
   * absolute path. A failed write throws and lists nothing; the previous file stays.
   */
  writeArtifact(
    name: string,
    data: string | Uint8Array,
    kind: string,
    description?: string,
  ): string {
    if (!/^[\w.-]+$/.test(name) || /^\.+$/.test(name))
      throw new Error(`artifact name "${name}" must be a plain file name`);
    const relative = `${RUN_FILES.artifacts}/${name}`;
    const absolute = join(this.dir, relative);
    writeFileDurable(absolute, data);
    const artifact: RunArtifact = { path: relative, kind, ...(description ? { description } : {}) };
    const artifacts = this.#record.artifacts.filter((a) => a.path !== relative).concat(artifact);
    this.update({ artifacts });
    return absolute;
  }

  /** Sets the final status (and error, if any) with the end time. */
  finish(status: Exclude<RunStatus, 'running'>, patch: RunPatch = {}): void {
    this.update({ ...patch, status, endedAt: new Date().toISOString() });
  }

  /** Stops the heartbeat timer (it stops by itself once the status is no longer running). */
  close(): void {
    clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
  }

  #flush(next: RunRecord): void {
    const now = new Date();
    const record: RunRecord = { ...next, updatedAt: now.toISOString(), writer: thisWriter(now) };
    writeFileDurable(join(this.dir, RUN_FILES.record), `${JSON.stringify(record, null, 2)}\n`);
    this.#record = record;
    this.#lastFlush = now.getTime();
    if (this.#record.status !== 'running') this.close();
    else if (!this.#heartbeat) {
      // Between epochs run.json may not change for minutes; the heartbeat says the writer lives.
      this.#heartbeat = setInterval(() => {
        if (Date.now() - this.#lastFlush < HEARTBEAT_MS) return;
        try {
          this.#flush(this.#record);
        } catch {
          // A full disk: the next real write reports it; a missed heartbeat only ages the record.
        }
      }, HEARTBEAT_MS / 3);
      this.#heartbeat.unref();
    }
  }
}
