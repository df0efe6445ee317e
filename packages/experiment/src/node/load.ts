import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { createJiti } from 'jiti';
import { ExperimentError } from '../errors.js';
import { type Experiment, experimentSchema } from '../schema/experiment.js';
import { formatIssues } from '../schema/issues.js';

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
    raw = await importModule(file, path, options.alias ?? {});
  } else {
    throw new ExperimentError(
      `${path}: expected an experiment file ending in .ts, .mts, .js, .mjs or .json`,
    );
  }
  const parsed = experimentSchema.safeParse(raw);
  if (!parsed.success) throw new ExperimentError(formatIssues(path, parsed.error));
  const experiment = parsed.data;
  if (experiment.data.path) experiment.data.path = resolve(dirname(file), experiment.data.path);
  return { experiment, file };
}

async function importModule(
  file: string,
  shown: string,
  alias: Readonly<Record<string, string>>,
): Promise<unknown> {
  const jiti = createJiti(import.meta.url, {
    alias: { ...alias },
    moduleCache: false,
    interopDefault: false,
  });
  let mod: Record<string, unknown>;
  try {
    mod = (await jiti.import(file)) as Record<string, unknown>;
  } catch (error) {
    throw new ExperimentError(
      `${shown}: could not load the experiment: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  const value = mod.default ?? mod.experiment;
  if (value === undefined)
    throw new ExperimentError(
      `${shown}: export the experiment as the default export (export default defineExperiment({...}))`,
    );
  return value;
}
