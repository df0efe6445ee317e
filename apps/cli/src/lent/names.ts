/**
 * The module specifiers the CLI lends to the files it loads (experiment files, model builder
 * files, replica threads): its own bundled copy of each, so a file's `new Conv2D(...)` is the
 * class the CLI's training loop knows. A file imports them as usual (`import { Conv2D } from
 * '@tunelab/layers'`), wherever it lives and whether or not its folder has them installed.
 * (`@tensorflow/tfjs-core` is lent too, as the CLI's installed package: see lendModules.)
 *
 * This module imports nothing: tsup.config.ts reads it to write one stub per name (lentStubFile).
 */
export const LENT_MODULES = [
  'tunelab',
  '@tunelab/core',
  '@tunelab/core/node',
  '@tunelab/core/record',
  '@tunelab/core/random',
  '@tunelab/layers',
  '@tunelab/layers/spec',
  '@tunelab/optimizers',
  '@tunelab/datasets',
  '@tunelab/datasets/node',
  '@tunelab/datasets/split',
  '@tunelab/reports',
  '@tunelab/reports/node',
  '@tunelab/experiment',
  '@tunelab/experiment/node',
] as const;

export type LentModule = (typeof LENT_MODULES)[number];

/** The global the stubs read the lent modules from (set by lendModules). */
export const LENT_MODULES_KEY = 'tunelab.lentModules';

/** 'lent/tunelab-core-node.mjs' for '@tunelab/core/node': the stub's path under dist/. */
export function lentStubFile(specifier: string): string {
  return `lent/${specifier.replace(/^@/, '').replace(/[^a-z0-9.-]+/gi, '-')}.mjs`;
}

/**
 * The stub's text: an ES module re-exporting, under each of `exportNames`, what lendModules
 * put in the global registry (named exports must be static, so the build lists them).
 */
export function lentStubSource(specifier: string, exportNames: readonly string[]): string {
  const name = JSON.stringify(specifier);
  const lines = [
    `// ${specifier} as the tunelab CLI lends it to the files it loads (see src/lent/names.ts).`,
    `const lent = globalThis[Symbol.for(${JSON.stringify(LENT_MODULES_KEY)})]?.[${name}];`,
    `if (!lent) throw new Error(${JSON.stringify(`${specifier}: this stub only works in a file the tunelab CLI loads`)});`,
  ];
  exportNames.forEach((exported, i) => {
    lines.push(`const _${i} = lent[${JSON.stringify(exported)}];`);
    lines.push(`export { _${i} as ${JSON.stringify(exported)} };`);
  });
  return `${lines.join('\n')}\n`;
}
