import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LENT_MODULES_KEY, type LentModule, lentStubFile } from './names.js';

/**
 * How to load each lent module: literal imports, so the bundler puts the CLI's own copy of
 * each package in its chunks (the published CLI installs none of them; it depends on tfjs only).
 */
const LOADERS: Record<LentModule, () => Promise<unknown>> = {
  tunelab: () => import('../index.js'),
  '@tunelab/core': () => import('@tunelab/core'),
  '@tunelab/core/node': () => import('@tunelab/core/node'),
  '@tunelab/core/record': () => import('@tunelab/core/record'),
  '@tunelab/core/random': () => import('@tunelab/core/random'),
  '@tunelab/layers': () => import('@tunelab/layers'),
  '@tunelab/layers/spec': () => import('@tunelab/layers/spec'),
  '@tunelab/optimizers': () => import('@tunelab/optimizers'),
  '@tunelab/datasets': () => import('@tunelab/datasets'),
  '@tunelab/datasets/node': () => import('@tunelab/datasets/node'),
  '@tunelab/datasets/split': () => import('@tunelab/datasets/split'),
  '@tunelab/reports': () => import('@tunelab/reports'),
  '@tunelab/reports/node': () => import('@tunelab/reports/node'),
  '@tunelab/experiment': () => import('@tunelab/experiment'),
  '@tunelab/experiment/node': () => import('@tunelab/experiment/node'),
};

const isLent = (specifier: string): specifier is LentModule => Object.hasOwn(LOADERS, specifier);

let lending: Promise<Readonly<Record<string, string>>> | undefined;

/**
 * Puts every lent module in the global registry the stubs read and returns the `alias` map
 * for jiti (specifier -> stub file; tfjs-core -> the CLI's tfjs-core folder). Called before
 * the CLI loads a user's file, in every thread that does; a second call returns the first map.
 */
export function lendModules(): Promise<Readonly<Record<string, string>>> {
  lending ??= (async () => {
    const dir = stubDir();
    const entries = await Promise.all(
      Object.entries(LOADERS).map(async ([name, load]) => [name, await load()] as const),
    );
    const registry = Object.fromEntries(entries);
    (globalThis as Record<symbol, unknown>)[Symbol.for(LENT_MODULES_KEY)] = registry;
    return {
      ...Object.fromEntries(
        entries.map(([name]) => [name, fileURLToPath(new URL(lentStubFile(name), dir))]),
      ),
      // tfjs is installed, not bundled: its folder (the alias covers subpaths such as
      // '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops'), which jiti
      // loads natively, as node_modules files: the very module the CLI imported.
      '@tensorflow/tfjs-core': dirname(
        createRequire(import.meta.url).resolve('@tensorflow/tfjs-core/package.json'),
      ),
    };
  })();
  return lending;
}

/**
 * `import(specifier)` for code that names modules at run time (replica threads, backends): a
 * lent module from the CLI's own copy, anything else (tfjs backends) resolved from this package.
 */
export async function importLent(specifier: string): Promise<unknown> {
  if (!isLent(specifier)) return import(specifier);
  await lendModules();
  return LOADERS[specifier]();
}

/** The folder holding lent/ (dist/, next to the bundled code, or the package's dist/ from src/ in tests). */
function stubDir(): URL {
  const candidates = [new URL('./', import.meta.url), new URL('../../dist/', import.meta.url)];
  const found = candidates.find((dir) => existsSync(new URL(lentStubFile('tunelab'), dir)));
  if (!found) throw new Error('tunelab: dist/lent/ not found: build the CLI first (pnpm build)');
  return found;
}
