import { defineConfig } from 'tsup';
import { libraryBuild } from '../../config/build.js';

export default defineConfig(
  libraryBuild({
    index: 'src/index.ts',
    node: 'src/node.ts',
    // Seeded splits without tfjs (what @tunelab/classic needs).
    'split/split': 'src/split/split.ts',
  }),
);
