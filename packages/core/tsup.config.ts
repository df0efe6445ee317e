import { defineConfig } from 'tsup';
import { libraryBuild } from '../../config/build.js';

export default defineConfig(
  libraryBuild(
    { index: 'src/index.ts', node: 'src/node.ts', record: 'src/record/index.ts' },
    {
      // tfjs-core's main entry registers no gradients; its own union package inlines the
      // registrations the same way (tfjs keeps engine and registries on a global, so the
      // inlined configs and the public tfjs-core share one engine).
      noExternal: [/^@tensorflow\/tfjs-core\/dist\//],
    },
  ),
);
