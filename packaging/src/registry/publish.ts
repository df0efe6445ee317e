// Publishing the workspace the way a release does, from a clean clone of HEAD (the working tree
// is never touched): pnpm install, a changeset for every publishable package, `changeset
// version` (versions and CHANGELOGs), then `pnpm publish -r`, whose prepack builds each package.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { publishablePackages } from '../workspace.js';
import { exec } from './exec.js';

/** What was published. */
export interface Published {
  /** The clone that was published from. */
  clone: string;
  /** Name -> version, as published. */
  versions: Record<string, string>;
}

/** Clones `root`'s HEAD into `into`. */
export function cloneHead(root: string, into: string): void {
  const head = exec('git', ['rev-parse', 'HEAD'], { cwd: root }).stdout.trim();
  exec('git', ['clone', '--quiet', '--shared', '--no-checkout', root, into], { cwd: root });
  exec('git', ['checkout', '--quiet', head], { cwd: into });
}

/** Versions and publishes every publishable package of the clone to `registry`. */
export function versionAndPublish(
  clone: string,
  registry: { url: string; token: string },
): Published {
  const host = registry.url.replace(/^https?:/, '');
  writeFileSync(
    join(clone, '.npmrc'),
    `registry=${registry.url}\n${host}:_authToken=${registry.token}\n`,
  );
  const env = { npm_config_registry: registry.url };
  // The store is the machine's: installing the clone links from it, offline where it can.
  exec('pnpm', ['install', '--frozen-lockfile', '--prefer-offline'], {
    cwd: clone,
    env,
    timeoutSeconds: 300,
  });
  const packages = publishablePackages(clone);
  writeFileSync(
    join(clone, '.changeset', 'registry-test.md'),
    `---\n${packages.map((p) => `"${p.manifest.name}": patch`).join('\n')}\n---\n\nPublished to a test registry.\n`,
  );
  exec('pnpm', ['exec', 'changeset', 'version'], { cwd: clone, env });
  exec('pnpm', ['publish', '-r', '--no-git-checks', '--registry', registry.url], {
    cwd: clone,
    env,
    timeoutSeconds: 600,
  });
  const versions: Record<string, string> = {};
  for (const p of publishablePackages(clone)) versions[p.manifest.name] = p.manifest.version;
  return { clone, versions };
}

/** The CHANGELOG.md of a package in the clone. */
export function changelogOf(clone: string, path: string): string {
  return readFileSync(join(clone, path, 'CHANGELOG.md'), 'utf8');
}
