import type { LayerKind, LayerSpec } from './schema.js';

/** The kind of a layer-list entry ('conv2d', 'maxPool', ...), or null for a null entry. */
export function layerKindOf(spec: LayerSpec): LayerKind | null {
  if (spec === null) return null;
  return Object.keys(spec)[0] as LayerKind;
}

/** A number, a [h, w] pair or a string as written: 2, 3x5, 'same'. */
function value(v: unknown): string {
  if (Array.isArray(v)) return v.join('x');
  if (v !== null && typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/**
 * A layer-list entry in a few words, for labels and errors: `{ maxPool: 2 }` is 'maxPool 2',
 * `{ conv2d: { filters: 16, kernel: 3 } }` is 'conv2d 16 3x3', `{ dense: { units: 10 } }`
 * 'dense 10', `{ batchNorm: {} }` 'batchNorm', null 'none'.
 */
export function describeLayerSpec(spec: LayerSpec): string {
  const kind = layerKindOf(spec);
  if (kind === null) return 'none';
  const options = (spec as Record<string, unknown>)[kind];
  if (options === null || typeof options !== 'object' || Array.isArray(options))
    return `${kind} ${value(options)}`;
  const o = options as Record<string, unknown>;
  const parts: string[] = [kind];
  if (o.filters !== undefined) parts.push(value(o.filters));
  if (o.units !== undefined) parts.push(value(o.units));
  if (o.kernel !== undefined) {
    const k = o.kernel;
    parts.push(Array.isArray(k) ? value(k) : `${k}x${k}`);
  }
  if (o.size !== undefined) parts.push(value(o.size));
  if (o.rate !== undefined) parts.push(value(o.rate));
  return parts.join(' ');
}
