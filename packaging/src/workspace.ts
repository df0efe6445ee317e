// The workspace's packages, discovered from pnpm-workspace.yaml: every mechanism here works
// for a package added later without being told its name.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The repository root. */
export const ROOT = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');

/** The one repository URL the manifests and READMEs use. */
export const REPO_URL = 'https://github.com/tunelab/tunelab';

/** A package.json as far as these tests read it. */
export interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  description?: string;
  license?: string;
  keywords?: string[];
  homepage?: string;
  bugs?: { url?: string };
  repository?: { type?: string; url?: string; directory?: string };
  engines?: Record<string, string>;
  sideEffects?: boolean | string[];
  bin?: Record<string, string>;
  files?: string[];
  exports?: Record<string, string | Record<string, string>>;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

/** One workspace package. */
export interface WorkspacePackage {
  /** Absolute folder. */
  dir: string;
  /** Folder relative to the root ('packages/core'). */
  path: string;
  manifest: Manifest;
}

/** The folder globs of pnpm-workspace.yaml ('packages/*', 'examples'). */
export function workspaceGlobs(root = ROOT): string[] {
  const yaml = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8');
  const block = /^packages:\n((?:[ \t]*(?:-.*|#.*)?\n)+)/m.exec(yaml)?.[1] ?? '';
  return [...block.matchAll(/^[ \t]*-[ \t]*['"]?([^'"\n#]+?)['"]?[ \t]*$/gm)].map((m) => m[1]!);
}

/** Every workspace package (folders with a package.json matched by the globs). */
export function workspacePackages(root = ROOT): WorkspacePackage[] {
  const dirs = workspaceGlobs(root).flatMap((glob) => {
    if (!glob.endsWith('/*')) return [join(root, glob)];
    const parent = join(root, glob.slice(0, -2));
    if (!existsSync(parent)) return [];
    return readdirSync(parent, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => join(parent, d.name));
  });
  return dirs
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({
      dir,
      path: relative(root, dir),
      manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest,
    }));
}

/** The packages npm users get: every workspace package that is not private. */
export function publishablePackages(root = ROOT): WorkspacePackage[] {
  return workspacePackages(root).filter((p) => !p.manifest.private);
}

/** The pnpm catalog (`catalog:` versions), read from pnpm-workspace.yaml. */
export function catalog(root = ROOT): Record<string, string> {
  const yaml = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8');
  const block = /^catalog:\n((?:[ \t]+.*\n|[ \t]*#.*\n|\n)+)/m.exec(yaml)?.[1] ?? '';
  const entries: Record<string, string> = {};
  for (const m of block.matchAll(/^[ \t]+['"]?([^'":\s]+)['"]?:[ \t]*['"]?([^'"\s#]+)/gm)) {
    entries[m[1]!] = m[2]!;
  }
  return entries;
}
