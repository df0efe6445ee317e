// Shared build and test settings for the workspace packages (not published).
import type { Options } from 'tsup';
import { defineConfig as defineTestConfig, type ViteUserConfig } from 'vitest/config';

/** tsup settings for a library: ESM + .d.ts + sourcemaps from the given entry points. */
export function libraryBuild(entry: Record<string, string>, extra: Options = {}): Options {
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
