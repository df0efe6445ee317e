import { realpathSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

/** A request named a path outside the runs directory (or an unusable one): HTTP 403. */
export class OutsideRunsDirError extends Error {
  constructor(received: string, why: string) {
    super(`refused path "${received}": ${why}; expected a path inside the runs directory`);
    this.name = 'OutsideRunsDirError';
  }
}

/**
 * The absolute path of `id` (a run or sweep id: a '/'-separated path relative to `root`,
 * already URL-decoded) when it lies inside `root`, symbolic links resolved. Refuses absolute
 * paths, '..' and '.' segments, backslashes, empty segments and NUL bytes before touching the
 * file system, then checks the real path as well, so neither `../` in any encoding nor a link
 * pointing elsewhere can reach outside. Missing paths are returned unresolved (the caller
 * answers 404).
 */
export function resolveInside(root: string, id: string): string {
  if (id.length === 0) throw new OutsideRunsDirError(id, 'empty path');
  if (id.includes('\0')) throw new OutsideRunsDirError(id, 'NUL byte');
  if (id.includes('\\')) throw new OutsideRunsDirError(id, 'backslash');
  if (isAbsolute(id)) throw new OutsideRunsDirError(id, 'absolute path');
  const segments = id.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..'))
    throw new OutsideRunsDirError(id, "'.', '..' or empty segment");
  const base = realRoot(root);
  const target = resolve(base, ...segments);
  if (!isWithin(base, target)) throw new OutsideRunsDirError(id, 'outside the root');
  let real: string;
  try {
    real = realpathSync(target);
  } catch {
    return target;
  }
  if (!isWithin(base, real)) throw new OutsideRunsDirError(id, 'a link that leads outside');
  return real;
}

/** The id of `dir` below `root`: its relative path with '/' separators. */
export function idOf(root: string, dir: string): string {
  return relative(realRoot(root), dir).split(sep).join('/');
}

/** `root` with links resolved (as given when it does not exist yet). */
export function realRoot(root: string): string {
  try {
    return realpathSync(root);
  } catch {
    return resolve(root);
  }
}

/** True when `path` is `base` or below it. */
export function isWithin(base: string, path: string): boolean {
  const rel = relative(base, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** `join` for a plain file name (artifacts): refuses names with separators or dots only. */
export function plainChild(dir: string, name: string): string {
  if (!/^[\w.-]+$/.test(name) || /^\.+$/.test(name))
    throw new OutsideRunsDirError(name, 'expected a plain file name (letters, digits, . _ -)');
  return join(dir, name);
}

/**
 * `message` without absolute paths, for HTTP answers (they would tell a page on another
 * machine where the runs live): the path `dir` becomes `name`, and any other absolute path
 * its last two parts.
 * `withoutPaths('/home/ada/runs/x/sweep.json: bad', '/home/ada/runs/x/sweep.json', 'sweep.json')`
 * is 'sweep.json: bad'.
 */
export function withoutPaths(message: string, dir: string, name: string): string {
  const out = message.split(dir).join(name);
  return out.replace(/(^|[\s'"(=,])(\/[^\s'"():,;]+)/g, (_m, before: string, path: string) => {
    const parts = path.split('/').filter(Boolean);
    return `${before}${parts.slice(-2).join('/')}`;
  });
}
