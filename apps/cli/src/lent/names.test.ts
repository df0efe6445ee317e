import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { LENT_MODULES, lentStubFile } from './names.js';

const require = createRequire(import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));

describe('lent modules', () => {
  it('cover every public entry of the @tunelab packages the CLI bundles', () => {
    const bundled = Object.keys(manifest.devDependencies).filter(
      (name) => name.startsWith('@tunelab/') && name !== '@tunelab/web',
    );
    expect(bundled).toContain('@tunelab/layers');
    const entries = bundled.flatMap((name) => {
      const exports = JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8'))
        .exports as Record<string, unknown>;
      return Object.keys(exports)
        .filter((subpath) => !subpath.endsWith('.json'))
        .map((subpath) => (subpath === '.' ? name : `${name}/${subpath.slice(2)}`));
    });
    expect([...LENT_MODULES].sort()).toEqual(['tunelab', ...entries].sort());
  });

  it('get one stub file each', () => {
    const files = LENT_MODULES.map(lentStubFile);
    expect(new Set(files).size).toBe(LENT_MODULES.length);
    expect(lentStubFile('@tunelab/core/node')).toBe('lent/tunelab-core-node.mjs');
  });
});
