import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { nodeBackendCandidates } from './candidates.js';
import {
  type BackendCandidate,
  BackendSelectionError,
  BackendUnavailableError,
  selectBackend,
} from './select.js';

// Real dynamic imports from this package: tfjs-node and tfjs-node-gpu are not installed
// here, wasm and cpu are (devDependencies).
const importHere = (specifier: string) => import(specifier);

describe('selectBackend', () => {
  it('falls back past uninstalled tfjs-node packages to wasm, saying why', async () => {
    const selection = await selectBackend({ candidates: nodeBackendCandidates(importHere) });
    expect(selection.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(selection.explicit).toBe(false);
    expect(selection.attempts.map((a) => [a.name, a.outcome])).toEqual([
      ['tfjs-node-gpu', 'not-installed'],
      ['tfjs-node', 'not-installed'],
      ['webgpu', 'not-installed'],
      ['wasm', 'chosen'],
    ]);
    expect(selection.attempts[1]!.detail).toBe('not installed (add @tensorflow/tfjs-node)');
  });

  it('honours an explicit choice', async () => {
    const selection = await selectBackend({
      candidates: nodeBackendCandidates(importHere),
      requested: 'cpu',
    });
    expect(selection.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(selection.explicit).toBe(true);
    expect(selection.attempts.map((a) => a.outcome)).toEqual([
      'not-requested',
      'not-requested',
      'not-requested',
      'not-requested',
      'chosen',
    ]);
  });

  it('fails clearly when the requested backend cannot load, instead of falling back', async () => {
    const attempt = selectBackend({
      candidates: nodeBackendCandidates(importHere),
      requested: 'tfjs-node',
    });
    await expect(attempt).rejects.toThrow(BackendSelectionError);
    await expect(attempt).rejects.toThrow(
      'Backend "tfjs-node" was requested but cannot be used: not installed (add @tensorflow/tfjs-node)',
    );
  });

  it('rejects an unknown backend name, listing the known ones', async () => {
    await expect(
      selectBackend({ candidates: nodeBackendCandidates(importHere), requested: 'tpu' }),
    ).rejects.toThrow(
      'Unknown backend "tpu": expected one of tfjs-node-gpu, tfjs-node, webgpu, wasm, cpu (or auto)',
    );
  });

  it('tells "installed but broken" from "not installed"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tunelab-backend-'));
    const broken = join(dir, 'broken.mjs');
    writeFileSync(broken, "import 'no-such-native-binding-xyz';\n");
    const throwing = join(dir, 'throwing.mjs');
    writeFileSync(
      throwing,
      "throw new Error('libtensorflow.so: cannot open shared object file');\n",
    );
    const fake = (name: string, file: string): BackendCandidate => ({
      name,
      packageName: `fake-${name}`,
      tfBackend: 'cpu',
      load: () => import(pathToFileURL(file).href).then(() => undefined),
    });
    const noGpu: BackendCandidate = {
      name: 'gpu',
      packageName: 'fake-gpu',
      tfBackend: 'cpu',
      load: async () => {
        throw new BackendUnavailableError('no-gpu', 'no GPU (no adapter)');
      },
    };
    const cpu = nodeBackendCandidates(importHere).at(-1)!;
    const selection = await selectBackend({
      candidates: [fake('broken', broken), fake('throwing', throwing), noGpu, cpu],
    });
    expect(selection.name).toBe('cpu');
    expect(selection.attempts.map((a) => a.outcome)).toEqual([
      'failed',
      'failed',
      'no-gpu',
      'chosen',
    ]);
    expect(selection.attempts[0]!.detail).toMatch(
      /^failed to load: Cannot find package 'no-such-native-binding-xyz'/,
    );
    expect(selection.attempts[1]!.detail).toBe(
      'failed to load: libtensorflow.so: cannot open shared object file',
    );
    expect(selection.attempts[2]!.detail).toBe('no GPU (no adapter)');
  });

  it('reports every reason when nothing loads', async () => {
    const missing: BackendCandidate = {
      name: 'nothing',
      packageName: '@example/not-a-backend',
      tfBackend: 'nothing',
      load: () => importHere('@example/not-a-backend').then(() => undefined),
    };
    await expect(selectBackend({ candidates: [missing] })).rejects.toThrow(
      'No backend could be loaded:\n  nothing: not installed (add @example/not-a-backend)',
    );
  });
});
