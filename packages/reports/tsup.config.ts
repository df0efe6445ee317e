import { cpSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { defineConfig } from 'tsup';
import { libraryBuild } from '../../config/build.js';
import { FONT_FILES } from './src/fonts.js';

// The two DejaVu Sans faces PNGs are drawn with (1.4 MB), copied from the dejavu-fonts-ttf
// package (11.7 MB of faces installed) into dist/fonts with the fonts' licence.
const fonts = dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json'));

export default defineConfig(
  libraryBuild(
    { index: 'src/index.ts', node: 'src/node.ts' },
    {
      async onSuccess() {
        mkdirSync('dist/fonts', { recursive: true });
        for (const file of FONT_FILES) cpSync(join(fonts, 'ttf', file), join('dist/fonts', file));
        cpSync(join(fonts, 'LICENSE'), 'dist/fonts/LICENSE');
      },
    },
  ),
);
