import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  type MetricEntry,
  parseMetricLines,
  parseRunRecord,
  RUN_FILES,
  type RunListing,
  type RunProblem,
  type RunRecord,
  type RunsResponse,
} from '@tunelab/core/record';
import { SWEEP_FILE } from '../sweep/state.js';
import { idOf, isWithin, realRoot } from './paths.js';

/** A run with its directory and metrics, as GET /api/runs/:id/metrics and the live view read it. */
export interface RunWithMetrics extends RunListing {
  /** The run directory (absolute). */
  readonly dir: string;
  /** Its metrics lines. */
  readonly metrics: MetricEntry[];
}

/** How deep run directories are looked for: runs/<run>, runs/<sweep>/<run>, runs/<group>/<sweep>/<run>. */
const MAX_DEPTH = 3;

/** Every run directory below `root` (sweeps included), oldest first; unreadable ones as problems. */
export function scanRuns(root: string): RunsResponse {
  const runs: RunListing[] = [];
  const problems: RunProblem[] = [];
  for (const dir of runDirectories(root)) {
    const id = idOf(root, dir);
    try {
      runs.push({ id, sweep: sweepOf(root, dir), record: readRecord(dir) });
    } catch (error) {
      problems.push({ id, error: (error as Error).message });
    }
  }
  runs.sort((a, b) => a.record.createdAt.localeCompare(b.record.createdAt));
  return { runs, problems };
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

/** A run directory's record and metrics. A partial last metrics line (a write in progress) is left out. */
export function readRunWithMetrics(root: string, dir: string): RunWithMetrics {
  const record = readRecord(dir);
  const metricsPath = join(dir, RUN_FILES.metrics);
  const metrics = existsSync(metricsPath)
    ? parseMetricLines(readFileSync(metricsPath, 'utf8'), RUN_FILES.metrics)
    : [];
  return { id: idOf(root, dir), sweep: sweepOf(root, dir), dir, record, metrics };
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
