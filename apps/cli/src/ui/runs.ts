import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { currentStatus } from '@tunelab/core/node';
import {
  type MetricEntry,
  parseRunRecord,
  RUN_FILES,
  type RunListing,
  type RunProblem,
  type RunRecord,
  type RunsResponse,
  scanMetricLines,
} from '@tunelab/core/record';
import { SWEEP_FILE } from '../sweep/state.js';
import { idOf, isWithin, realRoot } from './paths.js';

/** A run with its directory and metrics, as GET /api/runs/:id/metrics and the live view read it. */
export interface RunWithMetrics extends RunListing {
  /** The run directory (absolute). */
  readonly dir: string;
  /** The readable lines of metrics.jsonl (malformed ones are in `problems`). */
  readonly metrics: MetricEntry[];
}

/** How deep run directories are looked for: runs/<run>, runs/<sweep>/<run>, runs/<group>/<sweep>/<run>. */
const MAX_DEPTH = 3;

/** run.json and the problems of metrics.jsonl, kept until either file changes (listings poll). */
const cache = new Map<string, { stamp: string; record: RunRecord; problems: string[] }>();

/** Every run directory below `root` (sweeps included), oldest first; unreadable ones as problems. */
export function scanRuns(root: string): RunsResponse {
  const runs: RunListing[] = [];
  const problems: RunProblem[] = [];
  for (const dir of runDirectories(root)) {
    const id = idOf(root, dir);
    try {
      const { record, problems: fileProblems } = readChecked(dir);
      runs.push({
        id,
        sweep: sweepOf(root, dir),
        ...shown(record),
        ...(fileProblems.length ? { problems: fileProblems } : {}),
      });
    } catch (error) {
      problems.push({ id, error: (error as Error).message });
    }
  }
  runs.sort((a, b) => a.record.createdAt.localeCompare(b.record.createdAt));
  return { runs, problems };
}

/**
 * The record as readers should show it: status from {@link currentStatus} (a killed writer
 * reads 'interrupted'), and the note saying why.
 */
export function shown(record: RunRecord): { record: RunRecord; statusNote?: string } {
  const status = currentStatus(record);
  if (status.status === record.status) return { record };
  return { record: { ...record, status: status.status }, statusNote: status.note! };
}

/** Absolute paths of the folders below `root` that hold a run.json (not inside hidden folders). */
export function runDirectories(root: string): string[] {
  const base = realRoot(root);
  const found: string[] = [];
  const visit = (dir: string, depth: number) => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of names) {
      if (name.startsWith('.')) continue;
      const path = join(dir, name);
      if (!isDirectoryWithin(base, path)) continue;
      if (existsSync(join(path, RUN_FILES.record))) found.push(path);
      else if (depth < MAX_DEPTH) visit(path, depth + 1);
    }
  };
  visit(base, 1);
  return found;
}

/**
 * A run directory's record (status as shown) and what can be read of its metrics: a partial
 * last line (a write in progress) is left out, a malformed line is listed in `problems`.
 */
export function readRunWithMetrics(root: string, dir: string): RunWithMetrics {
  const record = readRecord(dir);
  const metricsPath = join(dir, RUN_FILES.metrics);
  const { entries, problems } = existsSync(metricsPath)
    ? scanMetricLines(readFileSync(metricsPath, 'utf8'), RUN_FILES.metrics)
    : { entries: [], problems: [] };
  return {
    id: idOf(root, dir),
    sweep: sweepOf(root, dir),
    dir,
    ...shown(record),
    ...(problems.length ? { problems } : {}),
    metrics: entries,
  };
}

/** Reads and validates run.json (written atomically, so never seen half-written). */
export function readRecord(dir: string): RunRecord {
  const text = readFileSync(join(dir, RUN_FILES.record), 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${RUN_FILES.record}: not valid JSON (${(error as Error).message})`);
  }
  return parseRunRecord(json, RUN_FILES.record);
}

/**
 * The status a run directory shows now (cached read): changes without any file changing when
 * a running run's writer dies, so live listings include it in what they compare.
 */
export function shownStatusOf(dir: string): string {
  try {
    return currentStatus(readChecked(dir).record).status;
  } catch {
    return 'unreadable';
  }
}

/** run.json, and the malformed lines of metrics.jsonl; cached until either file changes. */
function readChecked(dir: string): { record: RunRecord; problems: string[] } {
  const stamp = [RUN_FILES.record, RUN_FILES.metrics]
    .map((f) => {
      try {
        const s = statSync(join(dir, f));
        return `${s.ino}:${s.mtimeMs}:${s.size}`;
      } catch {
        return '-';
      }
    })
    .join('|');
  const hit = cache.get(dir);
  if (hit?.stamp === stamp) return hit;
  const record = readRecord(dir);
  const metricsPath = join(dir, RUN_FILES.metrics);
  const problems = existsSync(metricsPath)
    ? scanMetricLines(readFileSync(metricsPath, 'utf8'), RUN_FILES.metrics).problems
    : [];
  const entry = { stamp, record, problems };
  cache.set(dir, entry);
  return entry;
}

/** The sweep id of a run directory: its parent's id when the parent holds sweep.json. */
function sweepOf(root: string, dir: string): string | null {
  const parent = dirname(dir);
  return parent !== realRoot(root) && existsSync(join(parent, SWEEP_FILE))
    ? idOf(root, parent)
    : null;
}

/** A directory whose real path stays inside `base` (a link leading elsewhere is skipped). */
function isDirectoryWithin(base: string, path: string): boolean {
  try {
    return statSync(path).isDirectory() && isWithin(base, realpathSync(path));
  } catch {
    return false;
  }
}
