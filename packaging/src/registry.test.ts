// The packages as npm users get them: published to a real registry (Verdaccio) from a clean
// clone, then installed with npm in fresh folders outside the repository: the CLI globally,
// the libraries in a TypeScript project and in a Vite app that trains in Chromium.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exec } from './registry/exec.js';
import { changelogOf, cloneHead, type Published, versionAndPublish } from './registry/publish.js';
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
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    // The dataset cache of this test only: Fashion-MNIST comes from the system copy.
    XDG_CACHE_HOME: join(work, 'xdg-cache'),
    PATH: `${join(globalPrefix, 'bin')}:${process.env.PATH}`,
  };
}

const npm = (args: string[], cwd: string, timeoutSeconds = 300) =>
  exec('npm', args, { cwd, env: npmEnv(), timeoutSeconds });
const tunelab = (args: string[], cwd: string, timeoutSeconds = 300) =>
  exec(tunelabBin, args, { cwd, env: npmEnv(), timeoutSeconds });

/** Folder size in kB, as `du -sk` counts it (disk blocks, what an install costs). */
const duKb = (dir: string) => Number(exec('du', ['-sk', dir], { cwd: work }).stdout.split('\t')[0]);

/** The distinct folders of a package in an npm tree (`npm ls --all --json`). */
function copiesOf(name: string, cwd: string, global = false): string[] {
  const args = ['ls', name, '--all', '--json', '--long', ...(global ? ['-g'] : [])];
  const tree = JSON.parse(npm(args, cwd).stdout);
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
      expect(manifest.dist.fileCount, name).toBeGreaterThan(4);
      expect(manifest.license).toBe('MIT');
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
    expect(tunelab(['summary', 'vgg16'], work).stdout).toContain('138,357,544');
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

  it('the install is at most half of the 180 MB it was', () => {
    expect(installKb).toBeGreaterThan(10 * 1024);
    expect(installKb).toBeLessThanOrEqual(90 * 1024);
  });
});
