import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { SweepDetail, SweepsResponse } from '@tunelab/core/record';
import { Hono } from 'hono';
import { SWEEP_FILE } from '../sweep/state.js';
import { HttpError } from './http-error.js';
import { resolveInside } from './paths.js';
import { readSweep, scanSweeps } from './sweeps.js';

/** GET /api/sweeps and GET /api/sweeps/:id (the id URL-encoded like run ids). */
export function sweepRoutes(root: string): Hono {
  const app = new Hono();
  app.get('/', (c) => c.json({ sweeps: scanSweeps(root) } satisfies SweepsResponse));
  app.get('/:id', (c) => {
    const id = c.req.param('id');
    const dir = resolveInside(root, id);
    const sweep = existsSync(join(dir, SWEEP_FILE)) ? readSweep(root, dir) : null;
    if (!sweep) throw new HttpError(404, `no sweep "${id}" in the runs directory`);
    return c.json(sweep satisfies SweepDetail);
  });
  return app;
}
