import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseMetricLines } from '../record/format.js';
import {
  appendFileDurable,
  type DurableFs,
  ensureWritableFolder,
  FileWriteError,
  useDurableFs,
  writeFileDurable,
} from './durable-write.js';
import { simulatedDisk } from './simulated-disk.js';

const temp = () => mkdtempSync(join(tmpdir(), 'tunelab-durable-'));
let restore: (() => void) | undefined;
afterEach(() => {
  restore?.();
  restore = undefined;
});

/** Node's fs, but every write takes at most `max` bytes (as a nearly full or slow disk may). */
function shortWrites(max: number): DurableFs & { calls: number } {
  const layer = {
    calls: 0,
    openSync: fs.openSync,
    writeSync(fd: number, buffer: Uint8Array, offset: number, length: number) {
      layer.calls++;
      return fs.writeSync(fd, buffer, offset, Math.min(length, max));
    },
    fsyncSync: fs.fsyncSync,
    closeSync: fs.closeSync,
    renameSync: fs.renameSync,
    unlinkSync: fs.unlinkSync,
    ftruncateSync: fs.ftruncateSync,
    fstatSync: fs.fstatSync,
    mkdirSync: fs.mkdirSync,
  } as DurableFs & { calls: number };
  return layer;
}

/** Mounts a tmpfs of `bytes` for `fn` when this process may (root in a VM); null when not. */
function withTmpfs<T>(bytes: number, fn: (dir: string) => T): T | null {
  const dir = temp();
  const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', dir]);
  if (mount.status !== 0) return null;
  try {
    return fn(dir);
  } finally {
    spawnSync('umount', [dir]);
  }
}

describe('writeFileDurable', () => {
  it('replaces a file whole and leaves no temp file', () => {
    const dir = temp();
    const path = join(dir, 'run.json');
    writeFileDurable(path, 'first');
    writeFileDurable(path, new Uint8Array([1, 2, 3]));
    expect([...readFileSync(path)]).toEqual([1, 2, 3]);
    expect(readdirSync(dir)).toEqual(['run.json']);
  });

  it('keeps writing after short writes until every byte is on disk', () => {
    const dir = temp();
    const layer = shortWrites(1000);
    restore = useDurableFs(layer);
    const data = new Uint8Array(10_500).map((_, i) => i % 251);
    writeFileDurable(join(dir, 'w.bin'), data);
    expect(layer.calls).toBe(11); // 10 writes of 1,000 bytes and one of 500
    expect(readFileSync(join(dir, 'w.bin')).equals(Buffer.from(data))).toBe(true);
  });

  it('on a full disk keeps the previous file, removes the temp file and names the file and the bytes', () => {
    const dir = temp();
    const path = join(dir, 'checkpoint.safetensors');
    const disk = simulatedDisk(3000);
    restore = useDurableFs(disk);
    writeFileDurable(path, new Uint8Array(2000).fill(7));
    // The new version needs 2,000 more bytes while the old one is still there: 1,000 fit.
    let error: unknown;
    try {
      writeFileDurable(path, new Uint8Array(2000).fill(9));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FileWriteError);
    expect((error as FileWriteError).message).toBe(
      `no space left on device: need 2,000 bytes for ${path}`,
    );
    expect((error as FileWriteError).code).toBe('ENOSPC');
    expect(readFileSync(path)).toEqual(Buffer.alloc(2000, 7));
    expect(readdirSync(dir)).toEqual(['checkpoint.safetensors']);
    expect(disk.used).toBe(2000); // the partial temp file was removed
  });

  it('on a real 64 KiB tmpfs: a file that does not fit fails whole and the old one stays', () => {
    const result = withTmpfs(64 * 1024, (dir) => {
      const path = join(dir, 'weights.bin');
      writeFileDurable(path, new Uint8Array(40 * 1024).fill(1));
      expect(() => writeFileDurable(path, new Uint8Array(40 * 1024).fill(2))).toThrow(
        `no space left on device: need 40,960 bytes for ${path}`,
      );
      expect(readFileSync(path)).toEqual(Buffer.alloc(40 * 1024, 1));
      expect(readdirSync(dir)).toEqual(['weights.bin']);
      return true;
    });
    if (result === null) console.warn('mount not permitted: tmpfs test skipped');
  });
});

describe('appendFileDurable', () => {
  it('cuts a failed append back, so the next line starts on a fresh line', () => {
    const dir = temp();
    const path = join(dir, 'metrics.jsonl');
    const line = (epoch: number) =>
      `${JSON.stringify({ kind: 'epoch', epoch, step: epoch, samples: 1, seconds: 1, lr: 0.1, time: 't', metrics: {} })}\n`;
    const disk = simulatedDisk(line(1).length + 30);
    restore = useDurableFs(disk);
    appendFileDurable(path, line(1));
    expect(() => appendFileDurable(path, line(2))).toThrow(/^no space left on device: need/);
    expect(readFileSync(path, 'utf8')).toBe(line(1));
    restore();
    restore = undefined;
    appendFileDurable(path, line(3));
    expect(parseMetricLines(readFileSync(path, 'utf8')).map((m) => m.epoch)).toEqual([1, 3]);
  });
});

describe('ensureWritableFolder', () => {
  it('names the part of the path that is a file, not a folder', () => {
    const dir = temp();
    writeFileSync(join(dir, 'file'), 'x');
    const target = join(dir, 'file', 'runs');
    expect(() => ensureWritableFolder(target)).toThrow(
      `${target}: ${join(dir, 'file')} is not a folder`,
    );
    expect(() => ensureWritableFolder(join(dir, 'file'))).toThrow(
      /: (exists and is )?not a folder/,
    );
  });

  it('says a read-only folder is read-only (a real read-only tmpfs)', () => {
    const result = withTmpfs(64 * 1024, (dir) => {
      mkdirSync(join(dir, 'runs'));
      spawnSync('mount', ['-o', 'remount,ro', dir]);
      expect(() => ensureWritableFolder(join(dir, 'runs'))).toThrow(
        `${join(dir, 'runs')}: read-only file system`,
      );
      expect(() => ensureWritableFolder(join(dir, 'new', 'runs'))).toThrow(
        /read-only file system$/,
      );
      return true;
    });
    if (result === null) console.warn('mount not permitted: read-only test skipped');
  });
});
