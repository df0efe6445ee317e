#!/usr/bin/env node
// What a user's bundle pays for importing tunelab: each case is bundled for the browser with
// esbuild (minified, tree-shaken, as an app bundler would) from the built packages, and its
// size and gzip size are printed against a budget. `pnpm bundle-size`; `--json` for the numbers.
// The packaging tests (packaging/src/bundle-size.test.ts) run the same cases and check the
// budgets and what each bundle may not contain.
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/** The packaging workspace depends on every published package: imports resolve from there. */
const resolveDir = fileURLToPath(new URL('../packaging', import.meta.url));

/**
 * The cases: `source` is the user's module, `external` what the user's app provides anyway
 * (tfjs is a peer dependency), `budget` the most gzip bytes it may cost, `forbidden` inputs
 * that must not be in the bundle at all.
 */
export const CASES = [
  {
    name: 'Rng alone',
    source: "export { Rng } from '@tunelab/core';",
    external: [],
    budget: 1_500,
    forbidden: ['@tensorflow/', 'zod'],
  },
  {
    name: '@tunelab/classic (all of it)',
    source: "export * from '@tunelab/classic';",
    external: [],
    budget: 8_000,
    forbidden: ['@tensorflow/', 'zod'],
  },
  {
    name: '@tunelab/layers (all of it, tfjs external)',
    source: "export * from '@tunelab/layers';",
    external: ['@tensorflow/*'],
    budget: 40_000,
    // Layers only name the wasm kernels (an app registers them with its backend): the kernels'
    // wasm binaries (56 kB minified, both builds) stay out.
    forbidden: ['zod', 'kernels/simd-binary'],
  },
];

/** Bundles one case; returns its sizes and the files that went into it. */
export async function measure(testCase) {
  const result = await build({
    stdin: { contents: testCase.source, resolveDir, loader: 'js', sourcefile: 'user.js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    external: testCase.external,
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  return {
    name: testCase.name,
    bytes: code.length,
    gzipBytes: gzipSync(code, { level: 9 }).length,
    budget: testCase.budget,
    // The files that put bytes into the bundle (the metafile's inputs also list files that
    // were read and then shaken out entirely).
    inputs: Object.values(result.metafile.outputs).flatMap((output) =>
      Object.entries(output.inputs)
        .filter(([, use]) => use.bytesInOutput > 0)
        .map(([input]) => input),
    ),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rows = [];
  for (const testCase of CASES) rows.push(await measure(testCase));
  if (process.argv.includes('--json')) {
    console.log(
      JSON.stringify(
        rows.map(({ inputs, ...row }) => row),
        null,
        2,
      ),
    );
  } else {
    const kb = (n) => `${(n / 1000).toFixed(1)} kB`;
    for (const row of rows) {
      const verdict = row.gzipBytes <= row.budget ? 'ok' : 'OVER BUDGET';
      console.log(
        `${row.name.padEnd(44)} ${kb(row.bytes).padStart(9)} min ${kb(row.gzipBytes).padStart(8)} gzip  budget ${kb(row.budget)}  ${verdict}`,
      );
    }
  }
  process.exitCode = rows.every((row) => row.gzipBytes <= row.budget) ? 0 : 1;
}
