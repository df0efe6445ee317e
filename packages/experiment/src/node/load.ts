import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { ExperimentError } from '../errors.js';
import { type Experiment, experimentSchema } from '../schema/experiment.js';
import { formatIssues } from '../schema/issues.js';
import { formatPath, type PathKey } from '../schema/paths.js';
import { importFile } from './import.js';

/** A validated experiment and where it came from. */
export interface LoadedExperiment {
  /** The validated experiment, defaults filled in. */
  readonly experiment: Experiment;
  /** Absolute path of the file. */
  readonly file: string;
}

/** Options of {@link loadExperiment}. */
export interface LoadOptions {
  /**
   * Module specifiers to redirect when importing a .ts/.js experiment, e.g. the CLI maps
   * `tunelab` to its own built entry so a file anywhere on disk can import defineExperiment.
   */
  alias?: Readonly<Record<string, string>>;
}

/**
 * Reads an experiment from .json, or from .ts/.mts/.js/.mjs (its default export), and
 * validates it. Errors name the file and each offending field.
 * `(await loadExperiment('examples/quickstart.ts')).experiment.batchSize` is 64.
 */
export async function loadExperiment(
  path: string,
  options: LoadOptions = {},
): Promise<LoadedExperiment> {
  const file = resolve(path);
  if (!existsSync(file)) throw new ExperimentError(`${path}: experiment file not found`);
  let raw: unknown;
  const ext = extname(file);
  if (ext === '.json') {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      throw new ExperimentError(`${path}: cannot read the experiment file`);
    }
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw new ExperimentError(`${path}: not valid JSON (${(error as Error).message})`);
    }
  } else if (['.ts', '.mts', '.js', '.mjs'].includes(ext)) {
    const { value, exportName } = await importExperiment(file, path, options.alias ?? {});
    // Functions cannot travel to sweep workers, replica threads or run records: record each
    // as the file and the path of its export, which they import again.
    raw = recordFunctions(value, file, [exportName]);
  } else {
    throw new ExperimentError(
      `${path}: expected an experiment file ending in .ts, .mts, .js, .mjs or .json`,
    );
  }
  const parsed = experimentSchema.safeParse(resolvePaths(raw, dirname(file)));
  if (!parsed.success) throw new ExperimentError(formatIssues(path, parsed.error));
  return { experiment: parsed.data, file };
}

/**
 * Makes the paths an experiment holds relative to its file absolute: data.path, and every
 * model's `file` and `init.from` (the base model and those in sweep axes and grids).
 */
function resolvePaths(raw: unknown, dir: string): unknown {
  const visit = (
    value: unknown,
    key: PathKey | undefined,
    parent: PathKey | undefined,
  ): unknown => {
    if (Array.isArray(value)) return value.map((v, i) => visit(v, i, key));
    if (value === null || typeof value !== 'object') return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = visit(v, k, key);
    const inModel = key === 'model' || parent === 'model';
    if (inModel && typeof out.file === 'string') out.file = resolve(dir, out.file);
    if (key === 'init' && typeof out.from === 'string') out.from = resolve(dir, out.from);
    if (key === 'data' && typeof out.path === 'string') out.path = resolve(dir, out.path);
    return out;
  };
  return visit(raw, undefined, undefined);
}

/**
 * A copy of `value` with every function replaced by a reference to it: a bare function
 * becomes `{ file, export: <its path> }` and `{ build: fn, ...options }` becomes `{ file,
 * export: <path>.build, ...options }` (the shapes of a model built by a file).
 */
export function recordFunctions(value: unknown, file: string, keys: PathKey[]): unknown {
  if (typeof value === 'function') return { file, export: formatPath(keys) };
  if (Array.isArray(value)) return value.map((v, i) => recordFunctions(v, file, [...keys, i]));
  if (value === null || typeof value !== 'object') return value;
  const { build, ...rest } = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rest)) out[k] = recordFunctions(v, file, [...keys, k]);
  if (typeof build === 'function') return { ...out, file, export: formatPath([...keys, 'build']) };
  if (build !== undefined) out.build = recordFunctions(build, file, [...keys, 'build']);
  return out;
}

async function importExperiment(
  file: string,
  shown: string,
  alias: Readonly<Record<string, string>>,
): Promise<{ value: unknown; exportName: string }> {
  let mod: Record<string, unknown>;
  try {
    mod = await importFile(file, alias);
  } catch (error) {
    throw new ExperimentError(
      `${shown}: could not load the experiment: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  const exportName = mod.default !== undefined ? 'default' : 'experiment';
  const value = mod[exportName];
  if (value === undefined)
    throw new ExperimentError(
      `${shown}: export the experiment as the default export (export default defineExperiment({...}))`,
    );
  return { value, exportName };
}
