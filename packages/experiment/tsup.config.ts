import { copyFileSync } from 'node:fs';
import { defineConfig } from 'tsup';
import { libraryBuild } from '../../config/build.js';

export default defineConfig(
  libraryBuild(
    { index: 'src/index.ts', node: 'src/node.ts' },
    {
      // The JSON Schema of experiment files ships in dist (exports: ./experiment.schema.json).
      async onSuccess() {
        copyFileSync('experiment.schema.json', 'dist/experiment.schema.json');
      },
    },
  ),
);
