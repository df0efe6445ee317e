import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  type MetricEntry,
  parseMetricLines,
  parseRunRecord,
  RUN_FILES,
  type RunRecord,
  type RunStatus,
} from '../record/format.js';
import { currentStatus } from './liveness.js';

/** A run directory as read from disk. */
export interface RunOnDisk {
  /** The run directory read. */
  readonly dir: string;
  /** Its run.json. */
  readonly record: RunRecord;
  /** Its metrics.jsonl lines (a partial last line is skipped). */
  readonly metrics: MetricEntry[];
  /**
   * The status to show: `record.status`, except that a `running` record whose writer is gone
   * (killed) reads 'interrupted' ({@link currentStatus}).
   */
  readonly status: RunStatus;
  /** Why `status` differs from `record.status`, e.g. 'its writer (pid 4242 on lab-1) is gone'. */
  readonly statusNote?: string;
}

/**
 * Reads run.json and metrics.jsonl of one run directory, validating both.
 * `readRun('runs/20261123-141502-quickstart-3fa2').record.status` is e.g. 'completed'.
 */
export function readRun(dir: string): RunOnDisk {
  const recordPath = join(dir, RUN_FILES.record);
  if (!existsSync(recordPath))
    throw new Error(`${dir}: not a run directory (no ${RUN_FILES.record})`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(recordPath, 'utf8'));
  } catch (error) {
    throw new Error(`${recordPath}: not valid JSON (${(error as Error).message})`);
  }
  const record = parseRunRecord(json, recordPath);
  const metricsPath = join(dir, RUN_FILES.metrics);
  const metrics = existsSync(metricsPath)
    ? parseMetricLines(readFileSync(metricsPath, 'utf8'), metricsPath)
    : [];
  const shown = currentStatus(record);
  return {
    dir: resolve(dir),
    record,
    metrics,
    status: shown.status,
    ...(shown.note ? { statusNote: shown.note } : {}),
  };
}

/**
 * Every run directory directly under `root` (or under its sweep folders), oldest first.
 * `listRuns('runs').map((r) => r.record.name)`: every run under runs/, sweep folders included.
 */
export function listRuns(root: string): RunOnDisk[] {
  if (!existsSync(root)) return [];
  const runs: RunOnDisk[] = [];
  const visit = (dir: string, depth: number) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (!statSync(path).isDirectory()) continue;
      if (existsSync(join(path, RUN_FILES.record))) runs.push(readRun(path));
      else if (depth < 2) visit(path, depth + 1);
    }
  };
  visit(root, 0);
  return runs.sort((a, b) => a.record.createdAt.localeCompare(b.record.createdAt));
}
