import { randomBytes } from 'node:crypto';
import * as nodeFs from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * The file-system calls durable writes make. Node's `fs` is the default; a test passes a
 * wrapper that fails the way a full or read-only disk does ({@link simulatedDisk}), so the
 * failure paths run without mount rights.
 */
export interface DurableFs {
  /** fs.openSync. */
  openSync(path: string, flags: string, mode?: number): number;
  /** fs.writeSync: may write fewer bytes than asked (a nearly full disk). */
  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number): number;
  /** fs.fsyncSync. */
  fsyncSync(fd: number): void;
  /** fs.closeSync. */
  closeSync(fd: number): void;
  /** fs.renameSync. */
  renameSync(from: string, to: string): void;
  /** fs.unlinkSync. */
  unlinkSync(path: string): void;
  /** fs.ftruncateSync. */
  ftruncateSync(fd: number, length: number): void;
  /** fs.fstatSync (only `size` is read). */
  fstatSync(fd: number): {
    /** The file's length in bytes. */
    size: number;
  };
  /** fs.mkdirSync with `{ recursive: true }`. */
  mkdirSync(path: string, options: { recursive: true }): unknown;
}

let activeFs: DurableFs = nodeFs;

/**
 * Makes every durable write of this process go through `fs` until the returned function is
 * called (fault-injection tests: a disk that fills up, a read-only folder).
 * `const restore = useDurableFs(diskFullAfter(1000)); try { ... } finally { restore(); }`.
 */
export function useDurableFs(fs: DurableFs): () => void {
  const previous = activeFs;
  activeFs = fs;
  return () => {
    activeFs = previous;
  };
}

/**
 * A write that did not complete: the file named is unchanged (or absent), and the message
 * says what was needed and why it failed, e.g. "no space left on device: need 1,222,680
 * bytes for runs/x/artifacts/checkpoint.safetensors".
 */
export class FileWriteError extends Error {
  /** The file or folder the write was for. */
  readonly path: string;
  /** The operating system's error code ('ENOSPC', 'EROFS', 'EACCES', 'ENOTDIR', ...). */
  readonly code: string;
  /** Bytes the write needed (0 for a folder). */
  readonly bytes: number;

  constructor(path: string, code: string, bytes: number, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'FileWriteError';
    this.path = path;
    this.code = code;
    this.bytes = bytes;
  }
}

/**
 * The error for a failed write of `bytes` to `path`, from the system error `error`: one line
 * naming the file, the bytes and the reason.
 */
export function describeWriteFailure(path: string, bytes: number, error: unknown): FileWriteError {
  if (error instanceof FileWriteError) return error;
  const code = (error as NodeJS.ErrnoException)?.code ?? 'EIO';
  const need = `need ${bytes.toLocaleString('en-US')} bytes for ${path}`;
  const reasons: Record<string, string> = {
    ENOSPC: `no space left on device: ${need}`,
    EDQUOT: `disk quota exceeded: ${need}`,
    EFBIG: `file too large for the file system: ${need}`,
    EROFS: `${path}: read-only file system`,
    EACCES: `${path}: permission denied`,
    EPERM: `${path}: operation not permitted`,
    ENOTDIR: notAFolder(path),
    EEXIST: `${path}: exists and is not a folder`,
    ENOENT: `${path}: its folder does not exist`,
    EISDIR: `${path}: is a folder`,
    ENAMETOOLONG: `${path}: file name too long`,
  };
  const message =
    reasons[code] ??
    `${path}: write failed (${code}: ${(error as Error)?.message ?? error}); ${need}`;
  return new FileWriteError(path, code, bytes, message, error);
}

/** "<path>: <the first part of it that exists and is not a folder> is not a folder". */
function notAFolder(path: string): string {
  const culprit = firstNonFolder(path);
  return culprit === path ? `${path}: not a folder` : `${path}: ${culprit} is not a folder`;
}

function firstNonFolder(path: string): string {
  let p = path;
  const parents: string[] = [];
  while (dirname(p) !== p) {
    parents.unshift(p);
    p = dirname(p);
  }
  for (const candidate of parents) {
    try {
      if (!nodeFs.statSync(candidate).isDirectory()) return candidate;
    } catch {
      break;
    }
  }
  return dirname(path);
}

/**
 * Whether `name` is one of the temp files {@link writeFileDurable} writes before renaming
 * ('.run.json.1a2b3c4d.tmp'): one left behind by a killed writer is garbage.
 */
export function isTempName(name: string): boolean {
  return /^\..+\.[0-9a-f]{8}\.tmp$/.test(name);
}

/** Writes all of `bytes` at the file position, looping over short writes. */
function writeAll(fs: DurableFs, fd: number, bytes: Uint8Array): void {
  let done = 0;
  while (done < bytes.length) {
    const n = fs.writeSync(fd, bytes, done, bytes.length - done);
    // A regular file that takes no byte without an error is as full as one that says ENOSPC.
    if (n <= 0) throw Object.assign(new Error('wrote 0 bytes'), { code: 'ENOSPC' });
    done += n;
  }
}

function toBytes(data: string | Uint8Array): Uint8Array {
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
}

/** fsync of a folder, so a rename in it survives a power cut (not possible everywhere). */
function syncFolder(fs: DurableFs, dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch (error) {
    // Some file systems (and Windows) cannot open or sync a folder; the rename is still atomic.
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EINVAL' && code !== 'EPERM' && code !== 'EBADF') throw error;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * Replaces `path` with `data` completely or not at all: writes a temp file in the same
 * folder, checks every byte was written (looping over short writes), fsyncs it, renames it
 * over `path` and fsyncs the folder. On any failure the temp file is removed, `path` keeps
 * its previous contents, and a {@link FileWriteError} names the file, the bytes needed and
 * the reason. `writeFileDurable('runs/x/run.json', json)`.
 */
export function writeFileDurable(path: string, data: string | Uint8Array): void {
  const fs = activeFs;
  const bytes = toBytes(data);
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(temp, 'wx', 0o644);
    writeAll(fs, fd, bytes);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(temp, path);
  } catch (error) {
    if (fd !== undefined) {
      try {
        fs.closeSync(fd);
      } catch {
        // Already failing: the first error is the one to report.
      }
    }
    try {
      fs.unlinkSync(temp);
    } catch {
      // Never created, or already gone.
    }
    throw describeWriteFailure(path, bytes.length, error);
  }
  try {
    syncFolder(fs, dirname(path));
  } catch (error) {
    throw describeWriteFailure(dirname(path), 0, error);
  }
}

/**
 * Appends `data` (whole lines) to `path`, creating it, and fsyncs it. All or nothing: when
 * any byte cannot be written the file is cut back to its previous length, so a failed append
 * never leaves a partial line for a later append to run into. Throws a {@link FileWriteError}.
 */
export function appendFileDurable(path: string, data: string | Uint8Array): void {
  const fs = activeFs;
  const bytes = toBytes(data);
  let fd: number | undefined;
  let before = -1;
  try {
    fd = fs.openSync(path, 'a', 0o644);
    before = fs.fstatSync(fd).size;
    writeAll(fs, fd, bytes);
    fs.fsyncSync(fd);
  } catch (error) {
    if (fd !== undefined && before >= 0) {
      try {
        fs.ftruncateSync(fd, before);
      } catch {
        // The partial line stays; readers skip a last line without its newline.
      }
    }
    throw describeWriteFailure(path, bytes.length, error);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * Creates `dir` (and its parents) and checks a file can be written in it; throws a
 * {@link FileWriteError} naming the folder and why not: "runs: read-only file system",
 * "/tmp/file/runs: /tmp/file is not a folder", "runs: permission denied".
 */
export function ensureWritableFolder(dir: string): void {
  const fs = activeFs;
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw describeWriteFailure(dir, 0, mkdirReason(dir, error));
  }
  try {
    if (!nodeFs.statSync(dir).isDirectory())
      throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
  } catch (error) {
    throw describeWriteFailure(dir, 0, error);
  }
  const probe = join(dir, `.tunelab-write-check-${randomBytes(4).toString('hex')}`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(probe, 'wx', 0o644);
  } catch (error) {
    throw describeWriteFailure(dir, 0, error);
  } finally {
    if (fd !== undefined) {
      fs.closeSync(fd);
      fs.unlinkSync(probe);
    }
  }
}

/**
 * Recursive mkdir reports ENOENT when it cannot create a missing parent, whatever the reason;
 * creating the first missing folder alone gives the real one (EROFS, EACCES, ENOTDIR).
 */
function mkdirReason(dir: string, error: unknown): unknown {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return error;
  let first = dir;
  while (!nodeFs.existsSync(dirname(first)) && dirname(first) !== first) first = dirname(first);
  try {
    nodeFs.mkdirSync(first);
    nodeFs.rmdirSync(first);
    return error;
  } catch (real) {
    return real;
  }
}
