import { randomBytes } from 'node:crypto';
import { basename, resolve } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { ServerInfo } from '@tunelab/core/record';
import { type Context, Hono } from 'hono';
import { VERSION } from '../version.js';
import { datasetRoutes } from './api-datasets.js';
import { runDir, runRoutes } from './api-runs.js';
import { sweepRoutes } from './api-sweeps.js';
import type { DatasetLocator } from './datasets.js';
import { hostGuard, isLoopback } from './guard.js';
import { HttpError } from './http-error.js';
import { LiveStreams, listEvents, runEvents } from './live.js';
import { OutsideRunsDirError, withoutPaths } from './paths.js';

/** Options of {@link createUiApp}. */
export interface UiAppOptions {
  /** The runs directory served (runs and sweeps below it, uploads written into it). */
  runsDir: string;
  /** The built web app; null serves the API alone. */
  webDir: string | null;
  /** Host the server is bound to (requests naming another Host are refused). Default 127.0.0.1. */
  host?: string;
  /** More Host names to answer to (`--allow-host`), besides loopback and the bound address. */
  allowHosts?: readonly string[];
  /**
   * Accept runs uploaded from the browser (POST /api/runs). Default: only when bound to a
   * loopback address (`--allow-upload` turns it on for a server others can reach).
   */
  uploads?: boolean;
  /** The token writes must carry (x-tunelab-token). Default: a random one per start. */
  writeToken?: string;
  /** Where datasets for in-browser training are found. Default: like `tunelab train`. */
  locateDataset?: DatasetLocator;
  /** Milliseconds between checks of files being written (live updates). Default 500. */
  pollMs?: number;
}

/** The dashboard's HTTP application: the JSON API under /api and the web app at /. */
export function createUiApp(options: UiAppOptions): { app: Hono; live: LiveStreams } {
  const root = resolve(options.runsDir);
  const live = new LiveStreams(options.pollMs ?? 500);
  const app = new Hono();
  const host = options.host ?? '127.0.0.1';
  const uploads = options.uploads ?? isLoopback(host);
  const writeToken = options.writeToken ?? randomBytes(16).toString('hex');
  app.use(
    '*',
    hostGuard({
      boundHost: host,
      allowHosts: options.allowHosts ?? [],
      uploads,
      writeToken,
    }),
  );

  // Same-origin pages only (the guard refuses other Origins), so the token is the dashboard's.
  app.get('/api/info', (c) =>
    c.json({
      name: 'tunelab',
      version: VERSION,
      runsDir: basename(root),
      upload: uploads,
      ...(uploads ? { token: writeToken } : {}),
    } satisfies ServerInfo),
  );
  app.get('/api/events', (c) => listEvents(live, c, root));
  app.get('/api/runs/:id/events', (c) => runEvents(live, c, runDir(root, c.req.param('id'))));
  app.route('/api/runs', runRoutes(root));
  app.route('/api/sweeps', sweepRoutes(root));
  app.route('/api/datasets', datasetRoutes(options.locateDataset));
  app.all('/api/*', (c) => c.json({ error: `no API route ${c.req.method} ${c.req.path}` }, 404));

  if (options.webDir) {
    app.use('/*', serveStatic({ root: options.webDir }));
  } else {
    app.get('/', (c) =>
      c.html(
        '<!doctype html><title>tunelab</title><p>The tunelab web app was not built ' +
          '(run <code>pnpm build</code>); the API is at <a href="/api/runs">/api/runs</a>.</p>',
      ),
    );
  }
  app.notFound((c) => c.json({ error: `not found: ${c.req.path}` }, 404));
  app.onError((error, c) => errorResponse(error, c, root));
  return { app, live };
}

/** The JSON error answer; never an absolute path (the runs directory reads as '.'). */
function errorResponse(error: Error, c: Context, root: string) {
  const message = withoutPaths(error.message, root, '.');
  if (error instanceof HttpError) return c.json({ error: message }, error.status);
  if (error instanceof OutsideRunsDirError) return c.json({ error: message }, 403);
  // Files that fail validation (a hand-edited run.json) are the run's problem, not the server's.
  return c.json({ error: message }, 500);
}
