import { resolve } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { ServerInfo } from '@tunelab/core/record';
import { type Context, Hono } from 'hono';
import { VERSION } from '../version.js';
import { datasetRoutes } from './api-datasets.js';
import { runDir, runRoutes } from './api-runs.js';
import { sweepRoutes } from './api-sweeps.js';
import type { DatasetLocator } from './datasets.js';
import { localOnly } from './guard.js';
import { HttpError } from './http-error.js';
import { LiveStreams, listEvents, runEvents } from './live.js';
import { OutsideRunsDirError } from './paths.js';

/** Options of {@link createUiApp}. */
export interface UiAppOptions {
  /** The runs directory served (runs and sweeps below it, uploads written into it). */
  runsDir: string;
  /** The built web app; null serves the API alone. */
  webDir: string | null;
  /** Host the server is bound to (requests naming another Host are refused). Default 127.0.0.1. */
  host?: string;
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
  app.use('*', localOnly(options.host ?? '127.0.0.1'));

  app.get('/api/info', (c) =>
    c.json({
      name: 'tunelab',
      version: VERSION,
      runsDir: root,
      upload: true,
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
  app.onError((error, c) => errorResponse(error, c));
  return { app, live };
}

function errorResponse(error: Error, c: Context) {
  if (error instanceof HttpError) return c.json({ error: error.message }, error.status);
  if (error instanceof OutsideRunsDirError) return c.json({ error: error.message }, 403);
  // Files that fail validation (a hand-edited run.json) are the run's problem, not the server's.
  return c.json({ error: error.message }, 500);
}
