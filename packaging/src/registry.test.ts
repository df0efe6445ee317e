// The packages as npm users get them: published to a real registry (Verdaccio) from a clean
// clone, then installed with npm in fresh folders outside the repository: the CLI globally,
// the libraries in a TypeScript project and in a Vite app that trains in Chromium.
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exec } from './registry/exec.js';
import { changelogOf, cloneHead, type Published, versionAndPublish } from './registry/publish.js';
import { runnableSnippets } from './registry/snippets.js';
import { type Registry, startVerdaccio } from './registry/verdaccio.js';
import { publishablePackages, ROOT } from './workspace.js';

// TUNELAB_REGISTRY_TEST_DIR keeps the registry, the clone and the installs in that folder and
// publishes only once (to rerun the checks while working on them); by default all is temporary.
const keep = process.env.TUNELAB_REGISTRY_TEST_DIR;
if (keep) mkdirSync(keep, { recursive: true });
const work = keep ?? mkdtempSync(join(tmpdir(), 'tunelab-registry-'));
const npmCache = join(work, 'npm-cache');
const globalPrefix = join(work, 'global');
const tunelabBin = join(globalPrefix, 'bin', 'tunelab');
let registry: Registry;
let published: Published;

/** npm's settings for every command: this registry, a fresh cache, no user or global npmrc. */
function npmEnv(): Record<string, string> {
  for (const file of ['user.npmrc', 'global.npmrc']) writeFileSync(join(work, file), '');
  return {
    npm_config_registry: registry.url,
    npm_config_cache: npmCache,
    npm_config_userconfig: join(work, 'user.npmrc'),
    npm_config_globalconfig: join(work, 'global.npmrc'),
    npm_config_prefix: globalPrefix,
    npm_config_update_notifier: 'false',
    npm_config_fetch_retries: '5',
    npm_config_fetch_retry_mintimeout: '5000',
    npm_config_fetch_timeout: '600000',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    // The dataset cache of this test only: Fashion-MNIST comes from the system copy.
    XDG_CACHE_HOME: join(work, 'xdg-cache'),
    PATH: `${join(globalPrefix, 'bin')}:${process.env.PATH}`,
  };
}

/** npm with this registry; a failure carries the end of the registry's log. */
function npm(args: string[], cwd: string, timeoutSeconds = 300) {
  try {
    return exec('npm', args, { cwd, env: npmEnv(), timeoutSeconds });
  } catch (error) {
    throw new Error(`${(error as Error).message}\n--- verdaccio\n${registry.log().slice(-4000)}`);
  }
}
const tunelab = (args: string[], cwd: string, timeoutSeconds = 300) =>
  exec(tunelabBin, args, { cwd, env: npmEnv(), timeoutSeconds });

/** Folder size in kB, as `du -sk` counts it (disk blocks, what an install costs). */
const duKb = (dir: string) => Number(exec('du', ['-sk', dir], { cwd: work }).stdout.split('\t')[0]);

/** The distinct folders of a package in an npm tree (`npm ls --all --json`). */
function copiesOf(name: string, cwd: string, global = false): string[] {
  const args = ['ls', name, '--all', '--json', '--long', ...(global ? ['-g'] : [])];
  // npm ls exits 1 when the package is not in the tree: that answer is an empty list.
  const tree = JSON.parse(exec('npm', args, { cwd, env: npmEnv(), allowFailure: true }).stdout);
  const paths = new Set<string>();
  const walk = (node: { dependencies?: Record<string, { path?: string }> }) => {
    for (const [dep, child] of Object.entries(node.dependencies ?? {})) {
      if (dep === name && child.path) paths.add(child.path);
      walk(child as never);
    }
  };
  walk(tree);
  return [...paths];
}

beforeAll(async () => {
  const own = publishablePackages().map((p) => p.manifest.name);
  registry = await startVerdaccio(join(work, 'verdaccio'), own);
  const record = join(work, 'published.json');
  if (keep && existsSync(record)) {
    published = JSON.parse(readFileSync(record, 'utf8')) as Published;
    return;
  }
  const clone = join(work, 'clone');
  cloneHead(ROOT, clone);
  published = versionAndPublish(clone, registry);
  writeFileSync(record, JSON.stringify(published));
}, 900_000);

afterAll(async () => {
  await registry?.stop();
  if (!keep) rmSync(work, { recursive: true, force: true });
});

describe('publishing from a clean clone', () => {
  it('changeset version bumped every publishable package and wrote its CHANGELOG', () => {
    for (const p of publishablePackages(published.clone)) {
      expect(published.versions[p.manifest.name]).not.toBe('0.0.0');
      expect(changelogOf(published.clone, p.path)).toContain(
        `## ${published.versions[p.manifest.name]}`,
      );
    }
  });

  /** `npm view name@version --json`: the manifest as the registry serves it. */
  const view = (name: string) =>
    JSON.parse(npm(['view', `${name}@${published.versions[name]}`, '--json'], work).stdout);

  it('every package is in the registry at that version, with built files in its tarball', () => {
    for (const name of Object.keys(published.versions)) {
      const manifest = view(name);
      expect(manifest.version).toBe(published.versions[name]);
      expect(manifest.license).toBe('MIT');
      // The tarball as the registry serves it (npm pack of the published version).
      const [packed] = JSON.parse(
        npm(['pack', `${name}@${published.versions[name]}`, '--dry-run', '--json'], work).stdout,
      ) as [{ files: { path: string }[] }];
      const files = packed.files.map((f) => f.path);
      expect(files).toEqual(
        expect.arrayContaining(['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md']),
      );
      expect(
        files.filter((f) => f.startsWith('dist/') && f.endsWith('.js')).length,
      ).toBeGreaterThan(2);
      for (const dep of Object.keys(manifest.dependencies ?? {}).filter((d) =>
        d.startsWith('@tunelab/'),
      ))
        expect(manifest.dependencies[dep]).toBe(`^${published.versions[dep]}`);
    }
  });

  it('the published CLI manifest names no private workspace package and no bench extra', () => {
    const manifest = view('tunelab');
    expect(Object.keys({ ...manifest.dependencies, ...manifest.devDependencies })).not.toContain(
      '@tunelab/web',
    );
    expect(Object.keys(manifest.dependencies)).not.toContain('@tensorflow/tfjs-layers');
    expect(Object.keys(manifest.dependencies)).not.toContain('@tensorflow/tfjs-backend-webgpu');
  });
});

describe('npm i -g tunelab', () => {
  let installKb = 0;
  beforeAll(() => {
    npm(['install', '-g', `tunelab@${published.versions.tunelab}`], work, 600);
    installKb = duKb(globalPrefix);
    console.log(`CLI install: ${(installKb / 1024).toFixed(1)} MB (du -sk ${globalPrefix})`);
  }, 900_000);

  it('installs one copy of tfjs-core, without tfjs-layers or the WebGPU backend', () => {
    expect(existsSync(tunelabBin)).toBe(true);
    expect(copiesOf('@tensorflow/tfjs-core', work, true)).toHaveLength(1);
    expect(copiesOf('@tensorflow/tfjs-layers', work, true)).toEqual([]);
    expect(copiesOf('@tensorflow/tfjs-backend-webgpu', work, true)).toEqual([]);
  });

  it('tunelab --help and --version', () => {
    const help = tunelab(['--help'], work).stdout;
    expect(help).toContain('Usage: tunelab');
    expect(help).toContain('train');
    expect(tunelab(['--version'], work).stdout.trim()).toBe(published.versions.tunelab);
  });

  it('tunelab summary vgg16: 138,357,544 parameters', () => {
    const run = tunelab(['summary', 'vgg16'], work);
    expect(run.stdout).toContain('138,357,544');
    // One tfjs-core: no second copy announcing its platform again.
    expect(run.stderr).not.toContain('has already been set');
  });

  it('tunelab train of the JSON experiment from train --help, on the real Fashion-MNIST', () => {
    const help = tunelab(['train', '--help'], work).stdout;
    const json = help.split('\n').find((l) => l.trim().startsWith('{'))!;
    const dir = join(work, 'experiments');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'quickstart.json'), json.trim());
    const run = tunelab(
      [
        'train',
        'quickstart.json',
        '--epochs',
        '1',
        '--train-limit',
        '3000',
        '--json',
        '--out',
        'runs',
      ],
      dir,
      600,
    );
    const result = JSON.parse(run.stdout) as Record<string, unknown>;
    const record = JSON.parse(readFileSync(join(String(result.runDir), 'run.json'), 'utf8'));
    expect(record.status).toBe('completed');
    expect(record.data.dataset).toBe('fashion-mnist');
    expect(record.final.valAccuracy).toBeGreaterThan(0.6);
    expect(record.environment.backend).toBe('wasm');
  });

  it('a model file in a folder with no node_modules gets tunelab, @tunelab/* and tfjs from the CLI, in the replica thread too', () => {
    // Nothing is installed next to this file (npm i -g only): its imports get the CLI's own
    // copies, so its Linear is a Module the CLI trains and its weights are tensors of the
    // CLI's tfjs (the builder throws otherwise, in the replica thread as well).
    const dir = join(work, 'experiments');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'my-net.ts'),
      [
        "import * as tf from '@tensorflow/tfjs-core';",
        "import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';",
        "import { Module } from '@tunelab/core';",
        "import { Flatten, Linear, Sequential } from '@tunelab/layers';",
        "import { defineExperiment } from 'tunelab';",
        '',
        'export default defineExperiment({',
        "  name: 'my-net',",
        '  seed: 3,',
        "  data: { dataset: 'fashion-mnist' },",
        '  model: ({ classes, rng }) => {',
        '    const fc = new Linear({ inputs: 784, outputs: classes, rng: rng.fork("fc") });',
        '    const net = new Sequential({ flatten: new Flatten(), fc });',
        '    const [[, weight]] = net.namedParameters();',
        '    if (!(net instanceof Module) || !(weight.variable instanceof tf.Tensor))',
        "      throw new Error('not the CLI copies');",
        '    return net;',
        '  },',
        "  optimizer: { name: 'adam', lr: 3e-3 },",
        '  epochs: 1,',
        '  batchSize: 50,',
        '});',
        '',
      ].join('\n'),
    );
    expect(existsSync(join(dir, 'node_modules'))).toBe(false);
    const args = ['train', 'my-net.ts', '--train-limit', '2000', '--workers', '1', '--json'];
    const run = tunelab([...args, '--out', 'runs'], dir, 600);
    const result = JSON.parse(run.stdout) as Record<string, unknown>;
    const record = JSON.parse(readFileSync(join(String(result.runDir), 'run.json'), 'utf8'));
    expect(record.status).toBe('completed');
    expect(record.final.valAccuracy).toBeGreaterThan(0.6);
    const summary = JSON.parse(
      readFileSync(join(String(result.runDir), 'artifacts', 'model-summary.json'), 'utf8'),
    );
    expect(summary.totals.params).toBe(784 * 10 + 10);
    expect(run.stderr).toContain('data parallel: 2 threads');
  });

  it('tunelab ui serves the dashboard page and the runs', async () => {
    const { spawn } = await import('node:child_process');
    const { cleanEnv } = await import('./registry/exec.js');
    const server = spawn(
      tunelabBin,
      ['ui', '--runs', join(work, 'experiments', 'runs'), '--port', '0'],
      {
        cwd: work,
        env: cleanEnv(npmEnv()),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        server.stdout.on('data', (d) => {
          out += d;
          const match = /http:\/\/127\.0\.0\.1:\d+\/?/.exec(out);
          if (match) resolve(match[0]);
        });
        server.once('exit', (code) => reject(new Error(`tunelab ui exited ${code}: ${out}`)));
      });
      const page = await fetch(url);
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<script[^>]+src="[^"]*assets\//);
      const runs = await fetch(new URL('api/runs', url));
      expect(runs.status).toBe(200);
      expect(JSON.stringify(await runs.json())).toContain('quickstart');
    } finally {
      server.kill('SIGTERM');
    }
  });

  it('tunelab bench says in one line how to add the tfjs-layers comparison', () => {
    const run = tunelab(
      ['bench', '--workload', 'linear', '--seconds', '0.2', '--no-torch', '--workers', '0'],
      work,
      300,
    );
    const lines = run.stderr.split('\n').filter((l) => l.includes('@tensorflow/tfjs-layers'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('npm i');
  });

  it('the install is at most half of the 180 MB it was with tfjs-layers and WebGPU', () => {
    // tfjs-core, tfjs-backend-wasm and tfjs-backend-cpu are 66 MB of it; the CLI bundles the
    // rest of its JavaScript (apps/cli/README.md "What npm installs").
    expect(installKb).toBeGreaterThan(66 * 1024);
    expect(installKb).toBeLessThanOrEqual(90 * 1024);
  });
});

describe('a TypeScript project: npm i the libraries', () => {
  const project = join(work, 'lib-project');
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  /** The tsconfig @tunelab/core's README recommends (the README's JSON block, as written). */
  const recommended = () => {
    const readme = readFileSync(join(ROOT, 'packages/core/README.md'), 'utf8');
    const block = /## TypeScript[\s\S]*?```json\n([\s\S]*?)```/.exec(readme)?.[1];
    if (!block)
      throw new Error("no tsconfig block under '## TypeScript' in packages/core/README.md");
    return JSON.parse(block) as { compilerOptions: Record<string, unknown> };
  };
  const writeTsconfig = (extra: Record<string, unknown>, include: string[]) => {
    const config = recommended();
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        ...config,
        compilerOptions: { ...config.compilerOptions, types: ['node'], outDir: 'build', ...extra },
        include,
      }),
    );
  };

  beforeAll(() => {
    mkdirSync(join(project, 'src'), { recursive: true });
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
    );
    npm(
      [
        'install',
        ...['core', 'layers', 'optimizers', 'datasets'].map(
          (p) => `@tunelab/${p}@${published.versions[`@tunelab/${p}`]}`,
        ),
        '@tensorflow/tfjs-core@^4.22.0',
        '@tensorflow/tfjs-backend-wasm@^4.22.0',
        '@types/node@^20.19.0',
      ],
      project,
      600,
    );
  }, 900_000);

  it('npm ls @tensorflow/tfjs-core: one copy', () => {
    expect(copiesOf('@tensorflow/tfjs-core', project)).toEqual([
      join(project, 'node_modules/@tensorflow/tfjs-core'),
    ]);
  });

  it('a script type-checks with the recommended tsconfig and trains on Fashion-MNIST', () => {
    writeFileSync(
      join(project, 'src/train.ts'),
      `import * as tf from '@tensorflow/tfjs-core';
import { fit, nodeBackendCandidates, Rng, selectBackend, softmaxCrossEntropy } from '@tunelab/core';
import { concatDatasets, splitByRatios } from '@tunelab/datasets';
import { loadDataset } from '@tunelab/datasets/node';
import { mlp } from '@tunelab/layers';
import { adam } from '@tunelab/optimizers';

const backend = await selectBackend({ candidates: nodeBackendCandidates((s) => import(s)) });
const fashion = loadDataset('fashion-mnist');
const all = concatDatasets([fashion.parts.train!, fashion.parts.test!]);
const split = splitByRatios(all.size, { seed: 42, ratios: [0.8, 0.1, 0.1] });
const train = all.subset(split.parts[0]!.subarray(0, 3000));
const validation = all.subset(split.parts[1]!.subarray(0, 2000));
const model = mlp({ inputShape: [28, 28, 1], hidden: [128], classes: 10, seed: 1 });
const history = await fit(model, {
  train, validation, loss: softmaxCrossEntropy, optimizer: adam({ lr: 1e-3 }),
  epochs: 1, batchSize: 64, rng: Rng.fromSeed(2),
});
const metrics: Record<string, number> = { ...history.epochs.at(-1)!.metrics };
console.log(JSON.stringify({ backend: backend.name, metrics, tensors: tf.memory().numTensors }));
`,
    );
    writeTsconfig({}, ['src']);
    exec(process.execPath, [tsc, '-p', '.'], { cwd: project, timeoutSeconds: 300 });
    const run = exec(process.execPath, ['build/train.js'], { cwd: project, env: npmEnv() });
    const result = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
    expect(result.backend).toBe('wasm');
    expect(result.metrics.valAccuracy).toBeGreaterThan(0.6);
    expect(result.metrics.trainLoss).toBeLessThan(1.5);
  });

  it("our own .d.ts files type-check even without skipLibCheck (tfjs's are theirs)", () => {
    writeTsconfig({ skipLibCheck: false, noEmit: true }, ['src']);
    const run = exec(process.execPath, [tsc, '-p', '.'], {
      cwd: project,
      timeoutSeconds: 300,
      allowFailure: true,
    });
    const ours = run.stdout.split('\n').filter((l) => l.includes('node_modules/@tunelab/'));
    expect(ours).toEqual([]);
  });
});

describe('a Vite app: npm i the libraries, build for the browser, train in Chromium', () => {
  const app = join(work, 'vite-app');
  const moduleIds: string[] = [];
  /** Who imports each module Vite stubs for a Node built-in ('\0__vite-browser-external...'). */
  const builtinImporters: string[] = [];
  const warnings: string[] = [];

  beforeAll(async () => {
    mkdirSync(app, { recursive: true });
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({ name: 'app', private: true, type: 'module' }),
    );
    writeFileSync(
      join(app, 'index.html'),
      '<!doctype html><html><head><title>training</title><link rel="icon" href="data:,"></head><body><script type="module" src="/main.js"></script></body></html>',
    );
    writeFileSync(
      join(app, 'main.js'),
      `import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { ArrayDataset, fit, Rng, softmaxCrossEntropy } from '@tunelab/core';
import { mlp } from '@tunelab/layers';
import { adam } from '@tunelab/optimizers';

await tf.setBackend('cpu');
// Two classes by quadrant (x1 * x2 > 0): not linearly separable, an MLP learns it.
const n = 400;
const x = Rng.fromSeed(1).uniformArray(n * 2, -1, 1);
const y = Uint8Array.from({ length: n }, (_, i) => (x[2 * i] * x[2 * i + 1] > 0 ? 1 : 0));
const data = new ArrayDataset({ x, y, inputShape: [2], numClasses: 2 });
const history = await fit(mlp({ inputShape: [2], hidden: [16], classes: 2, seed: 1 }), {
  train: data, loss: softmaxCrossEntropy, optimizer: adam({ lr: 0.01 }), epochs: 30, batchSize: 32,
  rng: Rng.fromSeed(2),
});
window.__result = {
  backend: tf.getBackend(),
  first: history.epochs[0].metrics,
  last: history.epochs.at(-1).metrics,
};
document.title = 'trained';
`,
    );
    npm(
      [
        'install',
        ...['core', 'layers', 'optimizers'].map(
          (p) => `@tunelab/${p}@${published.versions[`@tunelab/${p}`]}`,
        ),
        '@tensorflow/tfjs-core@^4.22.0',
        '@tensorflow/tfjs-backend-cpu@^4.22.0',
      ],
      app,
      600,
    );
    const vite = await import('vite');
    await vite.build({
      root: app,
      configFile: false,
      logLevel: 'silent',
      build: {
        target: 'es2022',
        minify: false,
        outDir: 'dist',
        rollupOptions: {
          onwarn: (warning) => warnings.push(warning.message),
          plugins: [
            {
              name: 'module-ids',
              generateBundle(_options, bundle) {
                for (const chunk of Object.values(bundle)) {
                  if (chunk.type === 'chunk') moduleIds.push(...Object.keys(chunk.modules));
                }
                for (const id of this.getModuleIds()) {
                  if (!id.includes('browser-external')) continue;
                  const importers = this.getModuleInfo(id)?.importers ?? [];
                  builtinImporters.push(
                    ...importers.filter((i) => !i.includes('browser-external')),
                  );
                }
              },
            },
          ],
        },
      },
    });
  }, 900_000);

  it("no module of tunelab's imports a Node built-in", () => {
    expect(moduleIds.length).toBeGreaterThan(100);
    expect(moduleIds.filter((id) => /^node:/.test(id))).toEqual([]);
    // The one Vite stubs is tfjs-core's own dependency seedrandom (`require('crypto')`, guarded).
    expect(builtinImporters.filter((i) => i.includes('/@tunelab/'))).toEqual([]);
    expect(builtinImporters.every((i) => i.includes('/node_modules/seedrandom/'))).toBe(true);
    expect(warnings.filter((w) => w.includes('@tunelab/'))).toEqual([]);
  });

  it('one copy of tfjs-core in the bundle, the one the app installed', () => {
    const engines = moduleIds.filter((id) => id.endsWith('/@tensorflow/tfjs-core/dist/engine.js'));
    expect(engines).toEqual([join(app, 'node_modules/@tensorflow/tfjs-core/dist/engine.js')]);
    const roots = new Set(
      moduleIds
        .filter((id) => id.includes('/@tensorflow/tfjs-core/'))
        .map((id) => id.slice(0, id.indexOf('/@tensorflow/tfjs-core/'))),
    );
    expect([...roots]).toEqual([join(app, 'node_modules')]);
    // tunelab's gradient registrations are in, as code that imports that one tfjs-core.
    expect(moduleIds.some((id) => id.endsWith('/@tunelab/core/dist/tf/gradients.js'))).toBe(true);
  });

  it('trains in Chromium', async () => {
    const { chromium } = await import('playwright-core');
    const vite = await import('vite');
    const server = await vite.preview({
      root: app,
      configFile: false,
      logLevel: 'silent',
      preview: { host: '127.0.0.1', port: 0 },
    });
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      await page.goto(server.resolvedUrls!.local[0]!);
      await page
        .waitForFunction(() => document.title === 'trained', null, { timeout: 120_000 })
        .catch((error: Error) => {
          throw new Error(`${error.message}\npage errors: ${errors.join('\n')}`);
        });
      const result = (await page.evaluate(
        () => (window as never as { __result: unknown }).__result,
      )) as {
        backend: string;
        first: { trainLoss: number };
        last: { trainLoss: number; trainAccuracy: number };
      };
      expect(errors).toEqual([]);
      expect(result.backend).toBe('cpu');
      expect(result.last.trainLoss).toBeLessThan(result.first.trainLoss);
      expect(result.last.trainAccuracy).toBeGreaterThan(0.85);
    } finally {
      await browser.close();
      await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
    }
  });
});

describe('README code blocks marked runnable, run as written in a fresh project', () => {
  const project = join(work, 'snippets');
  const snippets = runnableSnippets();
  // Experiment files run through the installed CLI (they import 'tunelab'), not tsc and node.
  const typescript = snippets.filter((s) => s.lang === 'ts' && !s.command);
  /** tsc's report on all the TypeScript blocks, compiled together with the recommended settings. */
  let tscOutput = '';

  beforeAll(() => {
    mkdirSync(join(project, 'src'), { recursive: true });
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'snippets', private: true, type: 'module' }),
    );
    const ours = Object.keys(published.versions).filter((name) => name.startsWith('@tunelab/'));
    npm(
      [
        'install',
        ...ours.map((name) => `${name}@${published.versions[name]}`),
        '@tensorflow/tfjs-core@^4.22.0',
        '@tensorflow/tfjs-backend-wasm@^4.22.0',
        '@tensorflow/tfjs-backend-cpu@^4.22.0',
        '@types/node@^20.19.0',
      ],
      project,
      600,
    );
    // The reports snippet reads the runs the CLI test trained.
    cpSync(join(work, 'experiments', 'runs'), join(project, 'runs'), { recursive: true });
    for (const snippet of typescript) {
      writeFileSync(join(project, 'src', `${snippet.id}.ts`), snippet.code);
    }
    const readme = readFileSync(join(ROOT, 'packages/core/README.md'), 'utf8');
    const config = JSON.parse(/## TypeScript[\s\S]*?```json\n([\s\S]*?)```/.exec(readme)![1]!);
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { ...config.compilerOptions, types: ['node'], outDir: 'build' },
        include: ['src'],
      }),
    );
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    tscOutput = exec(process.execPath, [tsc, '-p', '.'], {
      cwd: project,
      allowFailure: true,
    }).stdout;
  }, 900_000);

  it('there are runnable blocks in the package READMEs', () => {
    expect(typescript.length).toBeGreaterThanOrEqual(5);
  });

  it.each(snippets)('$where', (snippet) => {
    if (snippet.command) {
      // In a folder with nothing installed: the CLI lends the file its modules.
      const dir = join(work, 'experiment-snippets', snippet.id);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'experiment.ts'), snippet.code);
      const [, subcommand, ...rest] = snippet.command;
      const run = tunelab([subcommand!, 'experiment.ts', ...rest, '--out', 'runs'], dir, 600);
      expect(run.stdout + run.stderr).toContain('completed');
      return;
    }
    if (snippet.lang === 'sh') {
      const dir = join(work, 'sh', snippet.id);
      mkdirSync(dir, { recursive: true });
      exec('bash', ['-euo', 'pipefail', '-c', snippet.code], {
        cwd: dir,
        env: npmEnv(),
        timeoutSeconds: 600,
      });
      return;
    }
    const errors = tscOutput.split('\n').filter((line) => line.includes(`src/${snippet.id}.ts`));
    expect(errors, 'type errors').toEqual([]);
    exec(process.execPath, [`build/${snippet.id}.js`], {
      cwd: project,
      env: npmEnv(),
      timeoutSeconds: 300,
    });
  });
});
