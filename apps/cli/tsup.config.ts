import { defineConfig } from 'tsup';
import { libraryBuild } from '../../config/build.js';

export default defineConfig(
  libraryBuild(
    { bin: 'src/bin.ts', index: 'src/index.ts' },
    { dts: { entry: { index: 'src/index.ts' } }, target: 'node20', platform: 'node' },
  ),
);
