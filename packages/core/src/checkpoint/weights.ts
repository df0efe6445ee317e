import * as tf from '@tensorflow/tfjs-core';
import type { Module } from '../module/module.js';
import { decodeSafetensors, encodeSafetensors, type StoredTensor } from './safetensors.js';

/**
 * Serialises a module's parameters and buffers (by their dotted names) as safetensors bytes.
 * Reads the values from the backend once.
 * `writeFileSync('model.safetensors', await saveWeights(model))`; names like '1.weight', '1.bias'.
 */
export async function saveWeights(
  module: Module,
  metadata: Record<string, string> = {},
): Promise<Uint8Array> {
  const tensors = new Map<string, StoredTensor>();
  for (const [name, t] of module.stateDict()) {
    if (t.dtype !== 'float32' && t.dtype !== 'int32')
      throw new Error(`saveWeights: "${name}" has unsupported dtype ${t.dtype}`);
    const data = (await t.data()) as Float32Array | Int32Array;
    tensors.set(name, { dtype: t.dtype, shape: t.shape, data });
  }
  return encodeSafetensors(tensors, { format: 'tunelab', ...metadata });
}

/**
 * Loads safetensors bytes into a module. Names, shapes and dtypes must match the module
 * exactly; errors name the file and each mismatch. Returns the file's metadata.
 * `loadWeights(model, readFileSync('model.safetensors'), 'model.safetensors')` returns the
 * metadata, e.g. { format: 'tunelab' }.
 */
export function loadWeights(
  module: Module,
  bytes: Uint8Array,
  source: string,
): Record<string, string> {
  const { tensors, metadata } = decodeSafetensors(bytes, source);
  const state = new Map<string, tf.Tensor>();
  for (const [name, t] of tensors)
    state.set(name, tf.tensor(t.data, [...t.shape], t.dtype === 'int32' ? 'int32' : 'float32'));
  try {
    module.loadStateDict(state);
  } catch (error) {
    throw new Error(`${source}: ${(error as Error).message}`);
  } finally {
    tf.dispose([...state.values()]);
  }
  return metadata;
}
