import { hostname } from 'node:os';
import type { RecordWriter } from '../record/format.js';
import { type DerivedStatus, deriveStatus, type LivenessProbe } from '../record/liveness.js';

/**
 * Whether process `pid` of this machine is alive (signal 0 checks without sending anything;
 * EPERM means it exists under another user).
 */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** This process as a record's writer, heard from now. */
export function thisWriter(now: Date = new Date()): RecordWriter {
  return { pid: process.pid, host: hostname(), heartbeatAt: now.toISOString() };
}

/**
 * {@link deriveStatus} with this machine's host name and process table: a `running` run.json or
 * sweep.json whose writer is gone reads `interrupted`, with a note saying why.
 * `currentStatus(readRun(dir).record)` is `{ status: 'interrupted', note: 'its writer (pid 4242 on lab-1) is gone' }`
 * after that process was killed.
 */
export function currentStatus<S extends string>(
  record: { readonly status: S; readonly writer?: RecordWriter | undefined },
  probe: Omit<LivenessProbe, 'host' | 'isAlive'> = {},
): DerivedStatus<S> {
  return deriveStatus(record, { ...probe, host: hostname(), isAlive: isProcessAlive });
}
