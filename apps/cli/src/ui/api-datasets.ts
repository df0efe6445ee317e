import { serveStatic } from '@hono/node-server/serve-static';
import type { DatasetsResponse } from '@tunelab/core/record';
import { Hono } from 'hono';
import { type DatasetLocator, datasetFilePath, servedDatasets } from './datasets.js';
import { HttpError } from './http-error.js';

/**
 * GET /api/datasets (the IDX datasets found on this machine) and
 * GET /api/datasets/:name/files/:file (one of their files, as stored: gzipped or not), for
 * training in the browser.
 */
export function datasetRoutes(locate?: DatasetLocator): Hono {
  const app = new Hono();
  app.get('/', (c) => c.json({ datasets: servedDatasets(locate) } satisfies DatasetsResponse));
  app.get('/:name/files/:file', async (c, next) => {
    const { name, file } = c.req.param();
    const path = datasetFilePath(name, file, locate);
    if (!path) throw new HttpError(404, `dataset "${name}" has no file "${file}" on this machine`);
    c.header('Cache-Control', 'max-age=3600');
    return serveStatic({ path })(c, next);
  });
  return app;
}
