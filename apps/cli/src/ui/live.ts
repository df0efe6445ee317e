import { statSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_FILES, type RunsListing } from '@tunelab/core/record';
import type { Context } from 'hono';
import { type SSEStreamingApi, streamSSE } from 'hono/streaming';
import { SWEEP_FILE } from '../sweep/state.js';
import { type FollowEvent, followRun } from './follow.js';
import { runDirectories, scanRuns, shownStatusOf } from './runs.js';
import { scanSweeps, sweepDirectories } from './sweeps.js';

/** Open event streams, so the server can end them when it closes. */
export class LiveStreams {
  readonly #closers = new Set<() => void>();
  /** Milliseconds between checks of the files. */
  constructor(readonly intervalMs: number) {}

  /**
   * Answers with a server-sent event stream fed by `start(send)` until the client goes away
   * or the server closes; `start` returns its clean-up. Sends a comment-like ping every 15 s
   * so proxies keep the connection open.
   */
  stream(c: Context, start: (send: (event: string, data: unknown) => void) => () => void) {
    return streamSSE(c, async (sse: SSEStreamingApi) => {
      // Writes are chained so events arrive in the order they were sent.
      let chain = Promise.resolve();
      const send = (event: string, data: unknown) => {
        chain = chain
          .then(() => sse.writeSSE({ event, data: JSON.stringify(data) }))
          .catch(() => undefined);
      };
      await new Promise<void>((resolve) => {
        const stop = start(send);
        const ping = setInterval(() => send('ping', {}), 15_000);
        const close = () => {
          this.#closers.delete(close);
          clearInterval(ping);
          stop();
          resolve();
        };
        this.#closers.add(close);
        sse.onAbort(close);
      });
      await chain;
    });
  }

  /** Ends every open stream. */
  closeAll(): void {
    for (const close of [...this.#closers]) close();
  }
}

/** GET /api/runs/:id/events: 'snapshot', then 'metrics' (appended lines) and 'record' events. */
export function runEvents(live: LiveStreams, c: Context, dir: string) {
  return live.stream(c, (send) =>
    followRun(dir, (event: FollowEvent) => send(event.type, event), {
      intervalMs: live.intervalMs,
    }),
  );
}

/**
 * GET /api/events: 'runs' with the whole listing (runs, problems, sweeps) at once and
 * whenever a run or sweep is added, removed or rewritten.
 */
export function listEvents(live: LiveStreams, c: Context, root: string) {
  return live.stream(c, (send) => {
    let last = '';
    const check = () => {
      const signature = listingSignature(root);
      if (signature === last) return;
      last = signature;
      send('runs', { ...scanRuns(root), sweeps: scanSweeps(root) } satisfies RunsListing);
    };
    check();
    const timer = setInterval(check, live.intervalMs);
    return () => clearInterval(timer);
  });
}

/**
 * Changes whenever a run.json, metrics.jsonl or sweep.json below `root` appears, goes or is
 * rewritten, or a run's shown status changes (its writer died).
 */
function listingSignature(root: string): string {
  const parts: string[] = [];
  const stamp = (path: string) => {
    try {
      const s = statSync(path);
      parts.push(`${path}:${s.ino}:${s.mtimeMs}`);
    } catch {
      parts.push(`${path}:-`);
    }
  };
  for (const dir of runDirectories(root)) {
    stamp(join(dir, RUN_FILES.record));
    stamp(join(dir, RUN_FILES.metrics));
    parts.push(shownStatusOf(dir));
  }
  // Queued sweeps change (a trial taken by a worker) before any run directory does.
  for (const dir of sweepDirectories(root)) stamp(join(dir, SWEEP_FILE));
  return parts.join('|');
}
