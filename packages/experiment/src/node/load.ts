import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createJiti } from 'jiti';
import type { z } from 'zod';
import { UsageError } from '../errors.js';
import { type Experiment, experimentSchema } from './schema.js';

/** A validated experiment and where it came from. */
export interface LoadedExperiment {
  /** The validated experiment, defaults filled in. */
  readonly experiment: Experiment;
  /** Absolute path of the file. */
  readonly file: string;
}

/**
 * Reads an experiment from .json, or from .ts/.mts/.js/.mjs (its default export), and
 * validates it. Errors name the file and each offending field.
 * `(await loadExperiment('examples/quickstart.ts')).experiment.batchSize` is 64.
 */
export async function loadExperiment(path: string): Promise<LoadedExperiment> {
  const file = resolve(path);
  if (!existsSync(file)) throw new UsageError(`${path}: experiment file not found`);
  let raw: unknown;
  const ext = extname(file);
  if (ext === '.json') {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      throw new UsageError(`${path}: cannot read the experiment file`);
    }
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw new UsageError(`${path}: not valid JSON (${(error as Error).message})`);
    }
  } else if (['.ts', '.mts', '.js', '.mjs'].includes(ext)) {
    raw = await importModule(file, path);
  } else {
    throw new UsageError(
      `${path}: expected an experiment file ending in .ts, .mts, .js, .mjs or .json`,
    );
  }
  const parsed = experimentSchema.safeParse(raw);
  if (!parsed.success) throw new UsageError(formatIssues(path, parsed.error));
  const experiment = parsed.data;
  if (experiment.data.path) experiment.data.path = resolve(dirname(file), experiment.data.path);
  return { experiment, file };
}

async function importModule(file: string, shown: string): Promise<unknown> {
  // Experiment files import { defineExperiment } from 'tunelab': point that at this package's
  // built entry, so a file anywhere on disk loads without tunelab installed next to it.
  const jiti = createJiti(import.meta.url, {
    alias: { tunelab: selfEntry() },
    moduleCache: false,
    interopDefault: false,
  });
  let mod: Record<string, unknown>;
  try {
    mod = (await jiti.import(file)) as Record<string, unknown>;
  } catch (error) {
    throw new UsageError(
      `${shown}: could not load the experiment: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  const value = mod.default ?? mod.experiment;
  if (value === undefined)
    throw new UsageError(
      `${shown}: export the experiment as the default export (export default defineExperiment({...}))`,
    );
  return value;
}

/** dist/index.js of the package this file belongs to (found by walking up to its package.json). */
function selfEntry(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('tunelab: cannot find its own package.json');
    dir = parent;
  }
  return join(dir, 'dist', 'index.js');
}

/** "file: field.path: message" per issue, one per line. */
export function formatIssues(file: string, error: z.ZodError): string {
  const lines = error.issues.map((issue) => {
    const at = issue.path.length ? issue.path.join('.') : '(top level)';
    return `  ${at}: ${issue.message}`;
  });
  return `${file}: invalid experiment\n${lines.join('\n')}`;
}
