import { createJiti } from 'jiti';
import { ExperimentError } from '../errors.js';
import type { ModelBuilder } from '../schema/model.js';
import { parsePath } from '../schema/paths.js';

/**
 * Imports a .ts/.mts/.js/.mjs file (TypeScript without a build step, through jiti), fresh on
 * every call. `alias` redirects module specifiers (the CLI maps 'tunelab' to itself).
 */
export async function importFile(
  file: string,
  alias: Readonly<Record<string, string>> = {},
): Promise<Record<string, unknown>> {
  const jiti = createJiti(import.meta.url, {
    alias: { ...alias },
    moduleCache: false,
    interopDefault: false,
  });
  return (await jiti.import(file)) as Record<string, unknown>;
}

/**
 * The model builder a `{ file, export }` model names: `exportPath` is an export's name or a
 * dotted path into it ('default.model', 'default.sweep.axes.model[1].model'). Errors name the
 * file and the path.
 */
export async function importBuilder(
  file: string,
  exportPath: string,
  alias: Readonly<Record<string, string>> = {},
): Promise<ModelBuilder> {
  let mod: Record<string, unknown>;
  try {
    mod = await importFile(file, alias);
  } catch (error) {
    throw new ExperimentError(
      `model.file ${file}: could not load it: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  let value: unknown = mod;
  for (const key of parsePath(exportPath)) {
    value =
      value !== null && typeof value === 'object'
        ? (value as Record<string | number, unknown>)[key]
        : undefined;
  }
  if (typeof value !== 'function')
    throw new ExperimentError(
      `model.file ${file}: export ${exportPath} is ${value === undefined ? 'missing' : `a ${typeof value}`}, not a function ({ inputShape, classes, rng }) => Module`,
    );
  return value as ModelBuilder;
}
