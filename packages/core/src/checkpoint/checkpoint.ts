import * as tf from '@tensorflow/tfjs-core';
import type { Module } from '../module/module.js';
import type { Parameter } from '../module/parameter.js';
import type { Optimizer } from '../train/optimizer.js';
import { decodeSafetensors, encodeSafetensors, type StoredTensor } from './safetensors.js';

/**
 * Version tag in a checkpoint's metadata.
 * `decodeSafetensors(bytes, path).metadata.format` is 'tunelab.checkpoint/1' for a checkpoint.
 */
export const CHECKPOINT_FORMAT = 'tunelab.checkpoint/1';

/** Where training stood when a checkpoint was written. */
export interface CheckpointProgress {
  /** Epochs finished. */
  readonly epoch: number;
  /** Optimizer updates applied. */
  readonly step: number;
}

/**
 * One safetensors file holding everything needed to resume exactly: the model's parameters
 * and buffers ("model.<name>"), the optimizer's slots ("optimizer.<parameter>.<slot>"), and in
 * the metadata the progress, the optimizer's name, config and iteration count.
 * ```ts
 * const bytes = await encodeCheckpoint(model, optimizer, { epoch: 3, step: 2_625 });
 * // later: restoreCheckpoint(bytes, 'ckpt.safetensors', model, optimizer).epoch === 3
 * ```
 */
export async function encodeCheckpoint(
  model: Module,
  optimizer: Optimizer,
  progress: CheckpointProgress,
  extra: Record<string, string> = {},
): Promise<Uint8Array> {
  const tensors = new Map<string, StoredTensor>();
  const add = async (name: string, t: tf.Tensor) => {
    if (t.dtype !== 'float32' && t.dtype !== 'int32')
      throw new Error(`encodeCheckpoint: "${name}" has unsupported dtype ${t.dtype}`);
    tensors.set(name, {
      dtype: t.dtype,
      shape: t.shape,
      data: (await t.data()) as Float32Array | Int32Array,
    });
  };
  for (const [name, t] of model.stateDict()) await add(`model.${name}`, t);
  const names = new Map<Parameter, string>(model.namedParameters().map(([n, p]) => [p, n]));
  const state = optimizer.getState();
  for (const [parameter, slots] of state.slots) {
    const name = names.get(parameter);
    if (name === undefined)
      throw new Error(
        'encodeCheckpoint: the optimizer holds state for a parameter that is not in the model',
      );
    for (const [slot, t] of Object.entries(slots)) await add(`optimizer.${name}.${slot}`, t);
  }
  return encodeSafetensors(tensors, {
    ...extra,
    format: CHECKPOINT_FORMAT,
    epoch: String(progress.epoch),
    step: String(progress.step),
    optimizer: optimizer.name,
    optimizerConfig: JSON.stringify(optimizer.config()),
    iterations: String(state.iterations),
  });
}

/** What {@link restoreCheckpoint} read besides the tensors. */
export interface RestoredCheckpoint extends CheckpointProgress {
  /** All the checkpoint's metadata strings (the caller's included, e.g. monitor and value). */
  readonly metadata: Readonly<Record<string, string>>;
}

/**
 * Loads a checkpoint into `model` (names, shapes and dtypes must match) and, when given, into
 * `optimizer` (which must be of the same kind). Errors name `source` and the mismatch.
 */
export function restoreCheckpoint(
  bytes: Uint8Array,
  source: string,
  model: Module,
  optimizer?: Optimizer,
): RestoredCheckpoint {
  const { tensors, metadata } = decodeSafetensors(bytes, source);
  if (metadata.format !== CHECKPOINT_FORMAT) {
    throw new Error(
      `${source}: not a tunelab checkpoint (metadata.format is ${JSON.stringify(metadata.format)}, expected "${CHECKPOINT_FORMAT}")`,
    );
  }
  const toTensor = (t: StoredTensor) =>
    tf.tensor(t.data, [...t.shape], t.dtype === 'int32' ? 'int32' : 'float32');
  const modelState = new Map<string, tf.Tensor>();
  const slotEntries: Array<[string, string, StoredTensor]> = [];
  for (const [name, t] of tensors) {
    if (name.startsWith('model.')) modelState.set(name.slice(6), toTensor(t));
    else if (name.startsWith('optimizer.')) {
      const rest = name.slice(10);
      const dot = rest.lastIndexOf('.');
      slotEntries.push([rest.slice(0, dot), rest.slice(dot + 1), t]);
    } else
      throw new Error(`${source}: unexpected tensor "${name}" (expected model.* or optimizer.*)`);
  }
  try {
    model.loadStateDict(modelState);
  } catch (error) {
    throw new Error(`${source}: ${(error as Error).message}`);
  } finally {
    tf.dispose([...modelState.values()]);
  }
  if (optimizer) {
    if (metadata.optimizer !== optimizer.name) {
      throw new Error(
        `${source}: checkpoint holds ${metadata.optimizer} state, cannot restore it into ${optimizer.name}`,
      );
    }
    const params = new Map(model.namedParameters());
    const slots = new Map<Parameter, Record<string, tf.Tensor>>();
    for (const [param, slot, t] of slotEntries) {
      const p = params.get(param);
      if (!p) throw new Error(`${source}: optimizer state for unknown parameter "${param}"`);
      const entry = slots.get(p) ?? {};
      entry[slot] = toTensor(t);
      slots.set(p, entry);
    }
    try {
      optimizer.setState({ iterations: Number(metadata.iterations ?? 0), slots });
    } finally {
      for (const entry of slots.values()) tf.dispose(Object.values(entry));
    }
  }
  return { epoch: Number(metadata.epoch ?? 0), step: Number(metadata.step ?? 0), metadata };
}
