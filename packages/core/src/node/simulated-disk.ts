import * as nodeFs from 'node:fs';
import type { DurableFs } from './durable-write.js';

/** A {@link DurableFs} over the real one that behaves like a small disk (see {@link simulatedDisk}). */
export interface SimulatedDisk extends DurableFs {
  /** Bytes held by the files written through it. */
  readonly used: number;
  /** Bytes still free. */
  readonly free: number;
}

function enospc(): Error {
  return Object.assign(new Error('ENOSPC: no space left on device, write'), {
    code: 'ENOSPC',
    errno: -28,
    syscall: 'write',
  });
}

/**
 * A disk of `capacity` bytes for fault-injection tests without mount rights: files written
 * through it count against the capacity (renames, removals and truncation free space as on a
 * real disk); a write that does not fit writes what fits and returns the short count, and the
 * next write fails with ENOSPC, as Linux write(2) does. Files not written through it count 0.
 * ```ts
 * const restore = useDurableFs(simulatedDisk(2_000_000)); // a 2 MB disk
 * ```
 */
export function simulatedDisk(capacity: number): SimulatedDisk {
  const sizes = new Map<string, number>();
  const paths = new Map<number, string>();
  const used = () => [...sizes.values()].reduce((a, b) => a + b, 0);
  return {
    get used() {
      return used();
    },
    get free() {
      return capacity - used();
    },
    openSync(path, flags, mode) {
      const fd = nodeFs.openSync(path, flags, mode);
      paths.set(fd, path);
      if (flags.startsWith('w')) sizes.set(path, 0);
      else if (flags.startsWith('a') && !sizes.has(path)) sizes.set(path, 0);
      return fd;
    },
    writeSync(fd, buffer, offset, length) {
      const path = paths.get(fd) ?? '';
      const room = capacity - used();
      if (room <= 0) throw enospc();
      const n = nodeFs.writeSync(fd, buffer, offset, Math.min(length, room));
      sizes.set(path, (sizes.get(path) ?? 0) + n);
      return n;
    },
    fsyncSync: (fd) => nodeFs.fsyncSync(fd),
    closeSync(fd) {
      paths.delete(fd);
      nodeFs.closeSync(fd);
    },
    renameSync(from, to) {
      nodeFs.renameSync(from, to);
      sizes.set(to, sizes.get(from) ?? 0);
      sizes.delete(from);
    },
    unlinkSync(path) {
      nodeFs.unlinkSync(path);
      sizes.delete(path);
    },
    ftruncateSync(fd, length) {
      nodeFs.ftruncateSync(fd, length);
      const path = paths.get(fd);
      if (path !== undefined) sizes.set(path, Math.min(sizes.get(path) ?? 0, length));
    },
    fstatSync: (fd) => nodeFs.fstatSync(fd),
    mkdirSync: (path, options) => nodeFs.mkdirSync(path, options),
  };
}
