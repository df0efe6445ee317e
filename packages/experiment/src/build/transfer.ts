import * as tf from '@tensorflow/tfjs-core';
import { ARTIFACT_FILES, decodeSafetensors, type Module } from '@tunelab/core';
import { freezeFirst, parameterLayers } from '@tunelab/layers';
import { ExperimentError } from '../errors.js';
import type { InitConfig } from '../schema/model.js';

/** Reads `artifacts/<name>` of the run directory `runDir` (Node: from disk). */
export type RunArtifactReader = (runDir: string, name: string) => Promise<Uint8Array>;

/**
 * Starts the model from a previous run (`model.init`): the parameters and buffers of its first
 * `layers` parameter-holding layers (as freezeFirst counts them) are copied, by name, from
 * that run's weights; the rest (the head) keeps its fresh initial weights. With `freeze` the
 * copied layers are frozen (feature extraction), else they train too (fine-tuning). The
 * layers copied must match the run's in name and shape: the same list prefix, or the same
 * zoo model. Returns the names of the layers copied.
 */
export async function applyInit(
  model: Module,
  init: InitConfig,
  read: RunArtifactReader | undefined,
): Promise<string[]> {
  const at = `model.init.from ${init.from}`;
  if (!read) throw new ExperimentError(`${at}: reading a run's weights needs Node.js`);
  const layers = parameterLayers(model);
  if (init.layers > layers.length)
    throw new ExperimentError(
      `model.init.layers ${init.layers}: the model has ${layers.length} layers with parameters (${layers.map(([n]) => n).join(', ')})`,
    );
  const name = init.weights === 'best' ? ARTIFACT_FILES.best : ARTIFACT_FILES.model;
  let bytes: Uint8Array;
  try {
    bytes = await read(init.from, name);
  } catch (error) {
    throw new ExperimentError(`${at}: cannot read artifacts/${name} (${(error as Error).message})`);
  }
  const { tensors } = decodeSafetensors(bytes, `${init.from}/artifacts/${name}`);
  const copied = layers.slice(0, init.layers);
  const state = model.stateDict();
  for (const [prefix, layer] of copied) {
    const local = [
      ...layer.namedParameters().map(([n, p]) => [n, p.variable] as const),
      ...layer.namedBuffers(),
    ];
    for (const [localName] of local) {
      const full = prefix === model.type ? localName : `${prefix}.${localName}`;
      const source = tensors.get(full);
      const target = state.get(full);
      if (!source)
        throw new ExperimentError(
          `${at}: its weights have no "${full}" (they have ${[...tensors.keys()].slice(0, 12).join(', ')}${tensors.size > 12 ? ', ...' : ''}); model.init copies layers by name, so the first ${init.layers} layers must be those of that run`,
        );
      if (!target) continue;
      if (source.shape.join(',') !== target.shape.join(','))
        throw new ExperimentError(
          `${at}: "${full}" is [${source.shape}] there but [${target.shape}] here; model.init.layers ${init.layers} reaches a layer that differs`,
        );
      tf.tidy(() =>
        (target as tf.Variable).assign(
          tf.tensor(source.data, [...source.shape], source.dtype === 'int32' ? 'int32' : 'float32'),
        ),
      );
    }
  }
  if (init.freeze) freezeFirst(model, init.layers);
  return copied.map(([n]) => n);
}
