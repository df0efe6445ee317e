import { defineConfig } from 'tsup';
import { libraryBuild } from '../../config/build.js';

export default defineConfig(
  libraryBuild(
    {
      index: 'src/index.ts',
      node: 'src/node.ts',
      'record/index': 'src/record/index.ts',
      // Seeded randomness without tfjs or zod (what @tunelab/classic needs).
      'random/rng': 'src/random/rng.ts',
    },
    {
      // tfjs-core's main entry registers no gradients and its gradient files are not loadable
      // by Node: they are inlined, every import rewritten onto the public entry (tfjs-core
      // itself stays external; see config/tfjs-public-api.ts).
      noExternal: [/^@tensorflow\/tfjs-core\/dist\//],
    },
  ),
);
