import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder of the built web app (its index.html), or null when it was not built. The
 * published package carries it as dist/web next to dist/bin.js (apps/cli's build copies
 * apps/web/dist there); from the sources (tests, development) the workspace's apps/web/dist
 * is used.
 */
export function findWebDir(from: string = dirname(fileURLToPath(import.meta.url))): string | null {
  const candidates = [
    join(from, 'web'), // dist/bin.js -> dist/web (the published package)
    resolve(from, '../../../web/dist'), // src/ui/ -> apps/web/dist (tests, development)
    resolve(from, '../../web/dist'), // dist/ of a workspace build without dist/web
    resolve(from, '../../dist/web'), // src/ui/ -> apps/cli/dist/web
  ];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? null;
}
