import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  catalog,
  type Manifest,
  publishablePackages,
  REPO_URL,
  ROOT,
  workspacePackages,
} from './workspace.js';

const packages = publishablePackages();
const privateNames = workspacePackages()
  .filter((p) => p.manifest.private)
  .map((p) => p.manifest.name);
const versions = catalog();
/** Libraries have no bin; the CLI is the app that brings tfjs and the backends along. */
const isLibrary = (m: Manifest) => m.bin === undefined;

/** Every file under `dir`, relative to it. */
function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? filesUnder(dir, path) : [path];
  });
}

/** What a dependency spec becomes in the published manifest (catalog: and workspace: resolved). */
function publishedSpec(name: string, spec: string): string {
  if (spec === 'catalog:') return versions[name] ?? `(no catalog entry for ${name})`;
  if (spec.startsWith('workspace:')) return spec.slice('workspace:'.length) === '*' ? '=' : '^';
  return spec;
}

describe('the publishable packages are found in the workspace', () => {
  it('every one, the CLI included, and no private one', () => {
    const names = packages.map((p) => p.manifest.name);
    expect(names).toEqual(
      expect.arrayContaining(['@tunelab/core', '@tunelab/classic', '@tunelab/datasets', 'tunelab']),
    );
    expect(names).not.toContain('@tunelab/web');
    expect(names).not.toContain('@tunelab/packaging');
  });

  it('this workspace depends on each of them (turbo builds them before these tests)', () => {
    const own = JSON.parse(readFileSync(join(ROOT, 'packaging/package.json'), 'utf8')) as Manifest;
    for (const { manifest } of packages) {
      expect(
        own.devDependencies?.[manifest.name],
        `${manifest.name} in packaging/package.json`,
      ).toBe('workspace:*');
    }
  });

  it('changesets versions only them (private workspaces get no version or changelog)', () => {
    const config = JSON.parse(readFileSync(join(ROOT, '.changeset/config.json'), 'utf8'));
    expect(config.privatePackages).toEqual({ version: false, tag: false });
  });
});

describe.each(packages)('$manifest.name', ({ dir, path, manifest }) => {
  it('manifest: MIT with its LICENSE, engines, keywords and links into the one repository', () => {
    expect(manifest.license).toBe('MIT');
    expect(readFileSync(join(dir, 'LICENSE'), 'utf8')).toBe(
      readFileSync(join(ROOT, 'LICENSE'), 'utf8'),
    );
    expect(readFileSync(join(ROOT, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n/);
    expect(manifest.engines).toEqual({ node: '>=20.19' });
    expect(manifest.keywords?.length).toBeGreaterThanOrEqual(3);
    expect(manifest.description?.length).toBeGreaterThan(20);
    expect(manifest.homepage).toBe(`${REPO_URL}/tree/main/${path}#readme`);
    expect(manifest.bugs?.url).toBe(`${REPO_URL}/issues`);
    expect(manifest.repository).toEqual({
      type: 'git',
      url: `git+${REPO_URL}.git`,
      directory: path,
    });
  });

  it('ships dist, its CHANGELOG, README and LICENSE; builds itself on prepack', () => {
    // The CLI's minified bundles leave their 12 MB of source maps in the workspace.
    expect(manifest.files).toEqual(
      manifest.name === 'tunelab'
        ? ['dist', '!dist/**/*.map', 'CHANGELOG.md']
        : ['dist', 'CHANGELOG.md'],
    );
    for (const file of ['CHANGELOG.md', 'README.md', 'LICENSE'])
      expect(existsSync(join(dir, file))).toBe(true);
    expect(readFileSync(join(dir, 'CHANGELOG.md'), 'utf8')).toMatch(
      new RegExp(`^# ${manifest.name}\\n`),
    );
    expect(manifest.scripts?.prepack).toBe('turbo run build --filter=$npm_package_name...');
  });

  it('dependencies are ranges npm can share, none on a private workspace package', () => {
    for (const field of ['dependencies', 'peerDependencies'] as const) {
      for (const [name, spec] of Object.entries(manifest[field] ?? {})) {
        expect(publishedSpec(name, spec), `${field}.${name}: ${spec}`).toMatch(/^[\^~]|^>=/);
      }
    }
    for (const field of ['dependencies', 'devDependencies', 'peerDependencies'] as const) {
      for (const name of privateNames) expect(manifest[field]?.[name]).toBeUndefined();
    }
  });

  it('tfjs: libraries take it as a peer; the CLI does not install the bench extras', () => {
    const deps = Object.keys(manifest.dependencies ?? {});
    if (isLibrary(manifest)) {
      expect(deps.filter((d) => d.startsWith('@tensorflow/'))).toEqual([]);
      expect(manifest.sideEffects).toBe(false);
    } else {
      expect(deps).not.toContain('@tensorflow/tfjs-layers');
      expect(deps).not.toContain('@tensorflow/tfjs-backend-webgpu');
      for (const extra of ['@tensorflow/tfjs-layers', '@tensorflow/tfjs-backend-webgpu'])
        expect(manifest.peerDependenciesMeta?.[extra]?.optional).toBe(true);
    }
  });

  it('every exports and bin target is built', () => {
    const targets = Object.values(manifest.exports ?? {}).flatMap((t) =>
      typeof t === 'string' ? [t] : Object.values(t),
    );
    targets.push(...Object.values(manifest.bin ?? {}));
    expect(targets.length).toBeGreaterThan(0);
    for (const target of targets) expect(existsSync(join(dir, target)), target).toBe(true);
  });

  it('built files import tfjs by its package name and inline none of its state', () => {
    const dist = join(dir, 'dist');
    // dist/web is the dashboard's browser app (its own bundle, tfjs included by design).
    const files = filesUnder(dist).filter((f) => f.endsWith('.js') && !f.startsWith('web/'));
    expect(files.length).toBeGreaterThan(0);
    const inlined = new Set<string>();
    for (const file of files) {
      const code = readFileSync(join(dist, file), 'utf8');
      const specifiers = [...code.matchAll(/(?:from|import\()\s*["']([^"']+)["']/g)].map(
        (m) => m[1]!,
      );
      for (const s of specifiers.filter((s) => s.startsWith('@tensorflow/'))) {
        expect(s, `${file} imports ${s}`).toMatch(/^@tensorflow\/[a-z0-9-]+$/);
      }
      const map = JSON.parse(readFileSync(join(dist, `${file}.map`), 'utf8')) as {
        sources: string[];
      };
      for (const source of map.sources.filter((s) => s.includes('node_modules/'))) {
        inlined.add(source.replace(/.*node_modules\//, ''));
      }
    }
    // The CLI is an app: it bundles its JavaScript (the libraries, zod, vega, bullmq...) and
    // installs only tfjs, jiti and the PNG renderer (apps/cli/README.md "What npm installs").
    if (manifest.name === 'tunelab') {
      for (const own of ['vega/', 'zod/', 'bullmq/', 'commander/'])
        expect(
          [...inlined].some((s) => s.startsWith(own)),
          own,
        ).toBe(true);
      for (const external of ['@tensorflow/tfjs-backend-', 'jiti/', '@resvg/'])
        expect([...inlined].filter((s) => s.startsWith(external))).toEqual([]);
      for (const source of [...inlined])
        if (!source.startsWith('@tensorflow/')) inlined.delete(source);
    }
    // Only tfjs-core's gradient definitions (and the private op wrappers they call) may be
    // inlined, rewritten onto the public entry; never the engine, tensors or registries.
    for (const source of inlined) {
      expect(source).toMatch(/^@tensorflow\/tfjs-core\/dist\//);
      expect(source).not.toMatch(
        /\/dist\/(engine|tensor|environment|global_util|kernel_registry|flags|index|base)\.js$/,
      );
    }
    if (manifest.name === '@tunelab/core' || manifest.name === 'tunelab') {
      expect([...inlined].filter((s) => s.includes('/gradients/')).length).toBeGreaterThan(90);
    } else {
      expect([...inlined]).toEqual([]);
    }
  });
});

describe('in Node, @tunelab/classic loads no tfjs', () => {
  const work = mkdtempSync(join(tmpdir(), 'tunelab-loads-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  /** The URLs Node resolves while importing `specifier` (a module resolve hook records them). */
  function resolvedBy(specifier: string): string[] {
    const log = join(work, `${specifier.replace(/\W/g, '_')}.log`);
    const hook = `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(${JSON.stringify(log)}, result.url + '\\n');
  return result;
}`;
    const script = `import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}));
await import(${JSON.stringify(specifier)});`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: join(ROOT, 'packaging'),
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    return readFileSync(log, 'utf8').trim().split('\n');
  }

  it('importing it resolves @tunelab/core/random and nothing of tfjs', () => {
    const urls = resolvedBy('@tunelab/classic');
    expect(urls.some((u) => u.endsWith('/packages/core/dist/random/rng.js'))).toBe(true);
    expect(urls.filter((u) => u.includes('@tensorflow'))).toEqual([]);
  });

  it('the hook does see tfjs when a package loads it (@tunelab/layers)', () => {
    const urls = resolvedBy('@tunelab/layers');
    expect(urls.some((u) => u.includes('@tensorflow/tfjs-core'))).toBe(true);
  });
});
