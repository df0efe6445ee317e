import { cpSync, existsSync, rmSync } from 'node:fs';
import { defineConfig } from 'tsup';
import { appBuild } from '../../config/build.js';

const web = new URL('../web/dist', import.meta.url).pathname;
const bundled = new URL('./dist/web', import.meta.url).pathname;

export default defineConfig(
  appBuild(
    { bin: 'src/bin.ts', index: 'src/index.ts', 'replica-worker': 'src/replica-worker.ts' },
    {
      dts: { entry: { index: 'src/index.ts' } },
      target: 'node20',
      platform: 'node',
      // `tunelab ui` serves the dashboard from dist/web, so the published package carries it
      // (turbo builds @tunelab/web first: it is a dev dependency).
      async onSuccess() {
        rmSync(bundled, { recursive: true, force: true });
        if (existsSync(`${web}/index.html`)) cpSync(web, bundled, { recursive: true });
      },
    },
  ),
);
