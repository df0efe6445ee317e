// Shared build and test settings for the workspace packages (not published).
import { relative } from 'node:path';
import { buildSync, type Plugin } from 'esbuild';
import type { Options } from 'tsup';
import { defineConfig as defineTestConfig, type ViteUserConfig } from 'vitest/config';
import { tfjsCoreThroughPublicApi } from './tfjs-public-api.js';

/**
 * tsup settings for a published library: ESM + .d.ts + sourcemaps. `entry` names the public
 * entry points (the exports map's targets: `{ index: 'src/index.ts' }` is `dist/index.js` and
 * `dist/index.d.ts`); every source file they reach is emitted as its own module next to them,
 * so a bundler that imports one function (`Rng`) keeps only the files it reaches (the packages
 * declare `"sideEffects": false`). Dependencies stay imports; tfjs-core's gradient files are the
 * one thing inlined, rewritten onto tfjs-core's public entry (see tfjs-public-api.ts).
 */
export function libraryBuild(entry: Record<string, string>, extra: Options = {}): Options {
  const root = process.cwd();
  return {
    entry: reachableSources(Object.values(entry)),
    format: ['esm'],
    dts: { entry },
    sourcemap: true,
    clean: true,
    target: 'es2022',
    splitting: false,
    esbuildPlugins: [ownModulesStayModules(), tfjsCoreThroughPublicApi(root)],
    ...extra,
  };
}

/**
 * tsup settings for an application (the CLI): one bundle per entry with shared chunks, its
 * dependencies left to npm.
 */
export function appBuild(entry: Record<string, string>, extra: Options = {}): Options {
  return {
    entry,
    format: ['esm'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    ...extra,
  };
}

/** `{ 'random/rng': 'src/random/rng.ts', ... }`: the package's own files the entries import. */
function reachableSources(entries: string[]): Record<string, string> {
  const { metafile } = buildSync({
    entryPoints: entries,
    bundle: true,
    write: false,
    outdir: 'dist',
    metafile: true,
    packages: 'external',
    platform: 'neutral',
    format: 'esm',
    logLevel: 'silent',
  });
  const sources: Record<string, string> = {};
  for (const input of Object.keys(metafile.inputs)) {
    if (!input.startsWith('src/') || !/\.tsx?$/.test(input)) continue;
    sources[relative('src', input).replace(/\.tsx?$/, '')] = input;
  }
  return sources;
}

/** The package's relative imports stay imports of the emitted sibling modules. */
function ownModulesStayModules(): Plugin {
  return {
    name: 'own-modules-stay-modules',
    setup(build) {
      build.onResolve({ filter: /^\.\.?\// }, (args) => {
        if (args.kind === 'entry-point' || /[\\/]node_modules[\\/]/.test(args.importer)) return;
        return { path: args.path, external: true };
      });
    },
  };
}

/** vitest settings: tests next to the code, plus a JSON report the root totals script sums. */
export function packageTests(extra: NonNullable<ViteUserConfig['test']> = {}): ViteUserConfig {
  return defineTestConfig({
    test: {
      include: ['src/**/*.test.ts'],
      reporters: ['default', ['json', { outputFile: '.vitest/results.json' }]],
      testTimeout: 60_000,
      ...extra,
    },
  });
}
