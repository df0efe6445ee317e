import { describeLayerSpec, type LayerSpec } from '@tunelab/layers';
import { layerKinds } from '@tunelab/layers/spec';

/**
 * A sweep value in a few words, for trial labels, tables and chart axes: numbers and strings
 * as they are, null as 'none', a layer-list entry by its kind ('batchNorm', 'conv2d 16 3x3'),
 * a model or optimizer by its name, anything else as compact JSON.
 */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'none';
  if (typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return `[${value.map(describeValue).join(', ')}]`;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0]! in layerKinds) return describeLayerSpec(value as LayerSpec);
  const name = (value as { name?: unknown }).name;
  if (typeof name === 'string') return name;
  return JSON.stringify(value);
}
