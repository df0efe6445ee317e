import type { RecordWriter } from './format.js';

/** How often a live writer refreshes its record's `writer.heartbeatAt` while it runs: 30 s. */
export const HEARTBEAT_MS = 30_000;

/**
 * A `running` record not heard from for this long reads as interrupted: 5 minutes (ten
 * missed heartbeats, room for a long synchronous stretch of training).
 */
export const STALE_AFTER_MS = 5 * 60_000;

/** What a reader knows about the machine it runs on (Node fills it in: `currentStatus`). */
export interface LivenessProbe {
  /** This machine's host name; with `isAlive`, lets a reader check a writer on the same host. */
  readonly host?: string | undefined;
  /** Whether a process of this machine is alive. */
  readonly isAlive?: ((pid: number) => boolean) | undefined;
  /** The time now (ms since the epoch). Default Date.now(). */
  readonly now?: number | undefined;
  /** Heartbeat age after which a running record reads as interrupted. Default {@link STALE_AFTER_MS}. */
  readonly staleAfterMs?: number | undefined;
}

/** A record's status as a reader should show it, and why it differs from the file, if it does. */
export interface DerivedStatus<S extends string> {
  /** The file's status, or 'interrupted' for a `running` record whose writer is gone. */
  readonly status: S | 'interrupted';
  /** Why a `running` record reads as interrupted, e.g. 'its writer (pid 4242 on lab-1) is gone'. */
  readonly note?: string;
}

/**
 * The status to show for a run.json or sweep.json: a `running` record whose writer is gone
 * reads `interrupted`. Gone means: on this host (same `host`) the writer's pid is not alive; on
 * any host, no heartbeat for `staleAfterMs` (5 min; also covers a pid reused by another
 * process). A record without `writer` (older files) keeps its status.
 * `deriveStatus({ status: 'running', writer: { pid: 1, host: 'a', heartbeatAt: '2020-01-01T00:00:00Z' } }).status`
 * is 'interrupted'.
 */
export function deriveStatus<S extends string>(
  record: { readonly status: S; readonly writer?: RecordWriter | undefined },
  probe: LivenessProbe = {},
): DerivedStatus<S> {
  const { status, writer } = record;
  if (status !== 'running' || !writer) return { status };
  const who = `pid ${writer.pid} on ${writer.host}`;
  if (probe.host !== undefined && probe.isAlive && writer.host === probe.host) {
    if (!probe.isAlive(writer.pid))
      return { status: 'interrupted', note: `its writer (${who}) is gone` };
  }
  const age = (probe.now ?? Date.now()) - Date.parse(writer.heartbeatAt);
  const stale = probe.staleAfterMs ?? STALE_AFTER_MS;
  if (!(age <= stale)) {
    const minutes = Number.isFinite(age) ? `${Math.round(age / 60_000)} min` : 'an unknown time';
    return { status: 'interrupted', note: `no heartbeat from its writer (${who}) for ${minutes}` };
  }
  return { status };
}
