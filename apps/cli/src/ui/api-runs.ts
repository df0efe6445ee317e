import { existsSync, lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import {
  type ArtifactListing,
  RUN_FILES,
  type RunDetail,
  type RunMetricsResponse,
  type RunsResponse,
} from '@tunelab/core/record';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HttpError } from './http-error.js';
import { isWithin, plainChild, realRoot, resolveInside } from './paths.js';
import { readRecord, readRunWithMetrics, scanRuns } from './runs.js';
import { parseUpload, UploadError, writeUpload } from './upload.js';

/** Largest run accepted by POST /api/runs (weights are sent base64 inside the JSON). */
const UPLOAD_LIMIT = 64 * 1024 * 1024;

/** The directory of run `id` (URL-decoded) inside `root`; 403 outside it, 404 when it is no run. */
export function runDir(root: string, id: string): string {
  const dir = resolveInside(root, id);
  if (!existsSync(join(dir, RUN_FILES.record)))
    throw new HttpError(404, `no run "${id}" in the runs directory`);
  return dir;
}

/**
 * The files in a run's artifacts/ folder, described by run.json where it lists them. A link
 * is listed only when it leads to a file inside the runs directory `root`: the size of a
 * file elsewhere is not this server's to tell.
 */
export function listArtifacts(root: string, dir: string): ArtifactListing[] {
  const folder = join(dir, RUN_FILES.artifacts);
  if (!existsSync(folder)) return [];
  const base = realRoot(root);
  const described = new Map(readRecord(dir).artifacts.map((a) => [a.path, a]));
  const sizeOf = (name: string): number | null => {
    const path = join(folder, name);
    try {
      const own = lstatSync(path);
      if (own.isFile()) return own.size;
      if (!own.isSymbolicLink() || !isWithin(base, realpathSync(path))) return null;
      const target = statSync(path);
      return target.isFile() ? target.size : null;
    } catch {
      return null;
    }
  };
  return readdirSync(folder)
    .filter((name) => /^[\w.-]+$/.test(name))
    .sort()
    .flatMap((name) => {
      const bytes = sizeOf(name);
      if (bytes === null) return [];
      const path = `${RUN_FILES.artifacts}/${name}`;
      const known = described.get(path);
      return [
        {
          name,
          path,
          kind: known?.kind ?? 'application/octet-stream',
          ...(known?.description ? { description: known.description } : {}),
          bytes,
        },
      ];
    });
}

/**
 * Routes of runs: GET /api/runs, GET /api/runs/:id, GET /api/runs/:id/metrics,
 * GET /api/runs/:id/artifacts/:name and POST /api/runs. Run ids are paths below the runs
 * directory ("sweep-coursework-c85c4a37/t01"), sent URL-encoded as one segment (%2F).
 */
export function runRoutes(root: string): Hono {
  const app = new Hono();

  app.get('/', (c) => c.json(scanRuns(root) satisfies RunsResponse));

  app.post(
    '/',
    bodyLimit({
      maxSize: UPLOAD_LIMIT,
      onError: (c) =>
        c.json(
          { error: `run upload larger than ${UPLOAD_LIMIT} bytes: send fewer artifacts` },
          413,
        ),
    }),
    async (c) => {
      const type = c.req.header('content-type') ?? '';
      if (!type.startsWith('application/json'))
        throw new HttpError(400, `expected Content-Type application/json, got "${type}"`);
      let json: unknown;
      try {
        json = await c.req.json();
      } catch (error) {
        throw new HttpError(400, `body is not valid JSON (${(error as Error).message})`);
      }
      try {
        const upload = parseUpload(json);
        writeUpload(root, upload);
        return c.json({ id: upload.record.id }, 201);
      } catch (error) {
        if (error instanceof UploadError) throw new HttpError(error.status, error.message);
        throw error;
      }
    },
  );

  app.get('/:id', (c) => {
    const id = c.req.param('id');
    const dir = runDir(root, id);
    const { metrics: _metrics, dir: _dir, ...run } = readRunWithMetrics(root, dir);
    return c.json({ ...run, artifacts: listArtifacts(root, dir) } satisfies RunDetail);
  });

  app.get('/:id/metrics', (c) => {
    const id = c.req.param('id');
    const run = readRunWithMetrics(root, runDir(root, id));
    return c.json({
      id: run.id,
      metrics: run.metrics,
      ...(run.problems ? { problems: run.problems } : {}),
    } satisfies RunMetricsResponse);
  });

  app.get('/:id/artifacts/:name', async (c, next) => {
    const id = c.req.param('id');
    const name = c.req.param('name');
    const dir = runDir(root, id);
    plainChild(join(dir, RUN_FILES.artifacts), name);
    // Resolved again from the root, so a link among the artifacts cannot lead outside either.
    const path = resolveInside(root, `${id}/${RUN_FILES.artifacts}/${name}`);
    if (!existsSync(path) || !statSync(path).isFile())
      throw new HttpError(404, `run "${id}" has no artifact "${name}"`);
    // Artifacts are data: an SVG opened from here runs no script and loads nothing.
    c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox");
    c.header('X-Content-Type-Options', 'nosniff');
    return serveStatic({ path })(c, next);
  });

  return app;
}
