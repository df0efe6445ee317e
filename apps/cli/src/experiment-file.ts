import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type LoadedExperiment, loadExperiment } from '@tunelab/experiment/node';

/**
 * Loads an experiment file as `tunelab train` does: experiment files import
 * { defineExperiment } from 'tunelab', which points at this package's built entry, so a file
 * anywhere on disk loads without tunelab installed next to it.
 */
export function loadExperimentFile(path: string): Promise<LoadedExperiment> {
  return loadExperiment(path, { alias: { tunelab: selfEntry() } });
}

/** dist/index.js of the package this file belongs to (found by walking up to its package.json). */
export function selfEntry(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('tunelab: cannot find its own package.json');
    dir = parent;
  }
  return join(dir, 'dist', 'index.js');
}
