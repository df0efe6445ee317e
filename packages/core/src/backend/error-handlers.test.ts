import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { keepErrorHandlers } from './error-handlers.js';

const packageDir = new URL('../..', import.meta.url).pathname;

/** Runs an ES module in a fresh Node (the built package, as a user's script imports it). */
function runScript(source: string) {
  return spawnSync(process.execPath, ['--input-type=module', '-e', source], {
    cwd: packageDir,
    encoding: 'utf8',
    timeout: 60_000,
  });
}

const onWasm = `
import { nodeBackendCandidates, selectBackend } from '@tunelab/core';
const selection = await selectBackend({ candidates: nodeBackendCandidates((m) => import(m)), requested: 'wasm' });
console.log('backend', selection.name);
`;

describe('keepErrorHandlers', () => {
  it('removes the listeners added since, keeps the ones before', () => {
    const mine = () => {};
    process.on('uncaughtException', mine);
    const restore = keepErrorHandlers();
    const theirs = () => {};
    process.on('uncaughtException', theirs);
    process.on('unhandledRejection', theirs);
    restore();
    expect(process.listeners('uncaughtException')).toContain(mine);
    expect(process.listeners('uncaughtException')).not.toContain(theirs);
    expect(process.listeners('unhandledRejection')).not.toContain(theirs);
    process.removeListener('uncaughtException', mine);
  });
});

describe('an uncaught error in a user script on the wasm backend', () => {
  it("prints the user's error and exits 1 (not the wasm module's source, exit 7)", () => {
    const result = runScript(`${onWasm}\nthrow new Error('user bug in line 5');`);
    expect(result.stdout).toContain('backend wasm');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Error: user bug in line 5');
    expect(result.stderr).not.toContain('tf-backend-wasm');
    expect(result.stderr.length).toBeLessThan(2000);
  });

  it('an unhandled rejection too', () => {
    const result = runScript(`${onWasm}\nPromise.reject(new Error('rejected by the user'));`);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Error: rejected by the user');
    expect(result.stderr).not.toContain('tf-backend-wasm');
  });
});
