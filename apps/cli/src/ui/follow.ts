import {
  closeSync,
  type FSWatcher,
  openSync,
  readSync,
  type Stats,
  statSync,
  watch,
} from 'node:fs';
import { join } from 'node:path';
import {
  type MetricEntry,
  RUN_FILES,
  type RunEvent,
  type RunRecord,
  scanMetricLines,
} from '@tunelab/core/record';
import { readRecord, shown } from './runs.js';

/** What a follower reports about a run directory being written (the API's run events). */
export type FollowEvent = RunEvent;

/** Options of {@link followRun}. */
export interface FollowOptions {
  /** Milliseconds between checks of the files (besides file-system notifications). Default 500. */
  intervalMs?: number;
}

/**
 * Follows a run directory while it is written: reports the record and metrics at once, then
 * appended metrics lines and record rewrites. Reads metrics.jsonl from the byte after the
 * last complete line, so a line being written is picked up only once its newline arrives; a
 * replaced file (new inode, or shorter) starts over with a snapshot. A malformed line is
 * reported as a problem and skipped. The record's status is the one to show (a running run
 * whose writer is gone reads 'interrupted'). Checks on fs.watch notifications and on a timer
 * (notifications are not delivered on every file system).
 * Returns a function that stops following.
 */
export function followRun(
  dir: string,
  emit: (event: FollowEvent) => void,
  options: FollowOptions = {},
): () => void {
  const recordPath = join(dir, RUN_FILES.record);
  const metricsPath = join(dir, RUN_FILES.metrics);
  let recordStamp = '';
  let metricsIno = -1;
  let offset = 0;
  let lastProblem = '';
  let fileRecord: RunRecord | null = null;
  let record: RunRecord | null = null;
  let statusNote: string | undefined;
  let shownKey = '';
  let snapshotSent = false;

  const problem = (message: string) => {
    if (message !== lastProblem) emit({ type: 'problem', message });
    lastProblem = message;
  };

  const readAppended = (stats: Stats | null): MetricEntry[] | null => {
    if (!stats) return [];
    const replaced = stats.ino !== metricsIno || stats.size < offset;
    if (replaced) offset = 0;
    metricsIno = stats.ino;
    if (stats.size === offset) return replaced ? null : [];
    const bytes = readRange(metricsPath, offset, stats.size);
    const end = bytes.lastIndexOf(0x0a);
    if (end < 0) return replaced ? null : [];
    const { entries, problems } = scanMetricLines(
      bytes.subarray(0, end + 1).toString('utf8'),
      `${RUN_FILES.metrics} (from byte ${offset})`,
    );
    for (const p of problems) emit({ type: 'problem', message: p });
    offset += end + 1;
    return replaced ? null : entries;
  };

  const check = (first: boolean) => {
    try {
      const recordStats = statOrNull(recordPath);
      const stamp = recordStats
        ? `${recordStats.ino}:${recordStats.mtimeMs}:${recordStats.size}`
        : '';
      let recordChanged = stamp !== recordStamp;
      if (recordChanged && recordStats) fileRecord = readRecord(dir);
      if (fileRecord) {
        // Even when no file changed, the writer may have died since: show that.
        const read = shown(fileRecord);
        record = read.record;
        statusNote = read.statusNote;
      }
      const key = `${record?.status}:${statusNote ?? ''}`;
      if (key !== shownKey) recordChanged = true;
      shownKey = key;
      recordStamp = stamp;
      if (!record) return;
      const metricsStats = statOrNull(metricsPath);
      const appended = first || !snapshotSent ? null : readAppended(metricsStats);
      if (appended === null) {
        // First call or replaced file: read everything (complete lines) as one snapshot.
        offset = 0;
        metricsIno = metricsStats?.ino ?? -1;
        const all = metricsStats ? (readAppended(metricsStats) ?? []) : [];
        emit({ type: 'snapshot', record, metrics: all });
        snapshotSent = true;
      } else {
        if (appended.length > 0) emit({ type: 'metrics', entries: appended });
        if (recordChanged) emit({ type: 'record', record, ...(statusNote ? { statusNote } : {}) });
      }
      lastProblem = '';
    } catch (error) {
      problem((error as Error).message);
    }
  };

  let stopped = false;
  let pending: NodeJS.Timeout | undefined;
  const soon = () => {
    if (stopped || pending) return;
    pending = setTimeout(() => {
      pending = undefined;
      if (!stopped) check(false);
    }, 20);
  };
  check(true);
  const timer = setInterval(soon, options.intervalMs ?? 500);
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dir, soon);
    watcher.on('error', () => watcher?.close());
  } catch {
    // No notifications here (or the folder went away): the timer still checks.
  }
  return () => {
    stopped = true;
    clearInterval(timer);
    if (pending) clearTimeout(pending);
    watcher?.close();
  };
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

/** Bytes [start, end) of a file. */
function readRange(path: string, start: number, end: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(end - start);
    let read = 0;
    while (read < buffer.length) {
      const n = readSync(fd, buffer, read, buffer.length - read, start + read);
      if (n === 0) break;
      read += n;
    }
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}
