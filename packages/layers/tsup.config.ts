import { defineConfig } from 'tsup';
import { libraryBuild } from '../../config/build.js';

export default defineConfig(
  // './spec' (the layer-list schema) is an entry of its own: it is what loads zod.
  libraryBuild({ index: 'src/index.ts', 'spec/index': 'src/spec/index.ts' }),
);
