import { ExperimentError } from '../errors.js';

/** One step of a path: an object key or an array index. */
export type PathKey = string | number;

/**
 * Splits a path into keys: 'model.layers[0].conv2d.filters' is
 * ['model', 'layers', 0, 'conv2d', 'filters']; 'optimizer.lr' is ['optimizer', 'lr'].
 * Throws naming the path when it is malformed.
 */
export function parsePath(path: string): PathKey[] {
  const keys: PathKey[] = [];
  const pattern = /([^.[\]]+)|\[(\d+)\]|(\.)/gy;
  let expectKey = true;
  let match: RegExpExecArray | null = pattern.exec(path);
  let at = 0;
  while (match) {
    at = pattern.lastIndex;
    if (match[1] !== undefined) {
      if (!expectKey) break;
      keys.push(match[1]);
      expectKey = false;
    } else if (match[2] !== undefined) {
      if (keys.length === 0) break;
      keys.push(Number(match[2]));
      expectKey = false;
    } else {
      if (expectKey) break;
      expectKey = true;
    }
    match = pattern.exec(path);
  }
  if (path === '' || at !== path.length || expectKey || keys.length === 0)
    throw new ExperimentError(
      `"${path}" is not a path: write keys joined by dots and list indices in brackets, e.g. model.layers[0].conv2d.filters`,
    );
  return keys;
}

/** The path of `keys`, written back: ['model', 'layers', 0] is 'model.layers[0]'. */
export function formatPath(keys: readonly PathKey[]): string {
  return keys.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
}

/** The value at `path` in `target`, or undefined where the path leads nowhere. */
export function getPath(target: unknown, path: string): unknown {
  let node = target;
  for (const key of parsePath(path)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PathKey, unknown>)[key];
  }
  return node;
}

/**
 * Returns a copy of `target` with `value` at `path` ('optimizer.lr', 'model.layers[0].conv2d.
 * filters'): objects on the way are copied (and created where missing), lists are copied and
 * must already hold the indexed entry. Throws naming the path for an index past a list's end
 * or a key into something that is not an object.
 */
export function setPath<T extends object>(target: T, path: string, value: unknown): T {
  const keys = parsePath(path);
  const set = (node: unknown, depth: number): unknown => {
    const key = keys[depth]!;
    const here = formatPath(keys.slice(0, depth + 1));
    if (typeof key === 'number') {
      if (!Array.isArray(node))
        throw new ExperimentError(`${here}: ${formatPath(keys.slice(0, depth))} is not a list`);
      if (key >= node.length)
        throw new ExperimentError(
          `${here}: the list has ${node.length} entr${node.length === 1 ? 'y' : 'ies'}`,
        );
      const copy = [...node];
      copy[key] = depth === keys.length - 1 ? value : set(copy[key], depth + 1);
      return copy;
    }
    if (node !== undefined && (node === null || typeof node !== 'object' || Array.isArray(node)))
      throw new ExperimentError(
        `${here}: ${formatPath(keys.slice(0, depth)) || 'the experiment'} is not an object`,
      );
    const copy: Record<string, unknown> = { ...(node as Record<string, unknown> | undefined) };
    copy[key] = depth === keys.length - 1 ? value : set(copy[key], depth + 1);
    return copy;
  };
  return set(target, 0) as T;
}
