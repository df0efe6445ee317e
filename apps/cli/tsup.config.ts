import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { defineConfig } from 'tsup';
import { appBuild } from '../../config/build.js';
import { LENT_MODULES, lentStubFile, lentStubSource } from './src/lent/names.js';

const web = new URL('../web/dist', import.meta.url).pathname;
const dist = new URL('./dist', import.meta.url).pathname;
const reports = dirname(createRequire(import.meta.url).resolve('@tunelab/reports/package.json'));

export default defineConfig(
  appBuild(
    { bin: 'src/bin.ts', index: 'src/index.ts', 'replica-worker': 'src/replica-worker.ts' },
    {
      dts: { entry: { index: 'src/index.ts' }, resolve: ['commander'] },
      target: 'node20',
      platform: 'node',
      // The published CLI installs tfjs (shared with tfjs-node, webgpu and the user's own
      // code), jiti and the PNG renderer's native binary; everything else (@tunelab/*, zod,
      // vega, bullmq, hono, commander...) is a dev dependency bundled here, which halves the
      // install (README "What npm installs"). Optional requires of those bundles stay requires.
      noExternal: [/^@tunelab\//],
      external: ['canvas', 'msgpackr-extract', 'utf-8-validate', 'bufferutil'],
      // CommonJS inside the ESM bundle (vega's, ioredis') calls require(): give it Node's.
      banner: {
        js: "import { createRequire as __tunelabCreateRequire } from 'node:module'; const require = __tunelabCreateRequire(import.meta.url);",
      },
      minify: true,
      keepNames: true,
      // Maps stay in the workspace (packaging tests read them to see what was inlined); the
      // published files leave them out (package.json "files"): 20 MB for minified bundles.
      sourcemap: true,
      async onSuccess() {
        // `tunelab ui` serves the dashboard from dist/web (turbo builds @tunelab/web first).
        rmSync(join(dist, 'web'), { recursive: true, force: true });
        if (existsSync(`${web}/index.html`)) cpSync(web, join(dist, 'web'), { recursive: true });
        // PNG text faces: the bundled @tunelab/reports looks for fonts/ next to its code.
        cpSync(join(reports, 'dist', 'fonts'), join(dist, 'fonts'), { recursive: true });
        // One stub per lent module (src/lent/names.ts), the files jiti's alias points at.
        mkdirSync(join(dist, 'lent'), { recursive: true });
        // Export names come from the modules themselves ('tunelab' from the entry just built).
        for (const name of LENT_MODULES) {
          const module = name === 'tunelab' ? join(dist, 'index.js') : name;
          const names = Object.keys(await import(module)).sort();
          writeFileSync(join(dist, lentStubFile(name)), lentStubSource(name, names));
        }
      },
    },
  ),
);
