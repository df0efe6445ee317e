import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { decodeSafetensors } from '@tunelab/core';

/** Helpers of the end-to-end tests that run the built command (dist/bin.js) as a user would. */

/** The built command. */
export const BIN = resolve(import.meta.dirname, '../../dist/bin.js');
/** The quickstart experiment (mlp on Fashion-MNIST). */
export const QUICKSTART = resolve(import.meta.dirname, '../../../../examples/quickstart.ts');
/** Real Fashion-MNIST. */
export const FASHION = process.env.FASHION_MNIST_DIR ?? '/usr/share/datasets/fashion-mnist';
/**
 * The environment of every run: no colours, the automatic backend, and no NODE_PATH (pnpm's
 * bin shims set it to the workspace's packages; a user's shell does not).
 */
export const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', TUNELAB_BACKEND: '' };
delete env.NODE_PATH;

/** Runs `tunelab <args>` to the end. */
export function tunelab(args: string[], extraEnv: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...env, ...extraEnv },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh temporary folder. */
export const temp = (label: string) => mkdtempSync(join(tmpdir(), `tunelab-${label}-`));

/** True when this process may mount a tmpfs (root on a VM; CI containers often may not). */
export function canMount(): boolean {
  const dir = temp('mount-check');
  const ok = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir]).status === 0;
  if (ok) spawnSync('umount', [dir]);
  return ok;
}

/** Mounts a tmpfs of `size` (e.g. '2m') at a new folder; returns it and how to unmount it. */
export function mountTmpfs(size: string, extra = ''): { dir: string; unmount: () => void } {
  const dir = temp('tmpfs');
  const options = `size=${size}${extra ? `,${extra}` : ''}`;
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`mount tmpfs failed: ${r.stderr}`);
  return { dir, unmount: () => void spawnSync('umount', ['-l', dir]) };
}

/** Changes the size of the tmpfs mounted at `dir` (e.g. to '16m' to make room again). */
export function resizeTmpfs(dir: string, size: string): void {
  const r = spawnSync('mount', ['-o', `remount,size=${size}`, dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`remount failed: ${r.stderr}`);
}

/** Every file below `dir` (relative paths, sorted). */
export function filesBelow(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath, d.name).slice(dir.length + 1))
    .sort();
}

/** Parses a safetensors file whole (throws on a truncated one); returns its metadata. */
export function readSafetensors(path: string): Record<string, string> {
  return decodeSafetensors(readFileSync(path), path).metadata;
}

/** The float values of every tensor of a safetensors file, in name order. */
export function tensorValues(path: string): number[] {
  const { tensors } = decodeSafetensors(readFileSync(path), path);
  return [...tensors.keys()].sort().flatMap((k) => Array.from(tensors.get(k)!.data));
}
