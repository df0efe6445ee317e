import * as tf from '@tensorflow/tfjs-core';

/** Reads a tensor's values without a copy where its backend allows, else undefined. */
export type TensorReader = (t: tf.Tensor) => Float32Array | Int32Array | undefined;

const readers = new Map<string, TensorReader>();

/**
 * Registers how tensors of backend `backendName` can be read without a copy (the wasm
 * training kernels register a view of the wasm heap). Replaces an earlier one.
 */
export function registerTensorReader(backendName: string, reader: TensorReader): void {
  readers.set(backendName, reader);
}

/**
 * A float32 or int32 tensor's values, without a copy where the active backend registered a
 * reader (wasm: a view of its heap, valid until the next tfjs call allocates), else
 * `dataSync()`. For reading a tensor straight into another buffer: a step of data-parallel
 * training otherwise allocates a copy per gradient, weight and share.
 */
export function tensorValues(t: tf.Tensor): Float32Array | Int32Array {
  const view = readers.get(tf.getBackend())?.(t);
  if (view) return view;
  if (t.dtype !== 'float32' && t.dtype !== 'int32')
    throw new Error(`tensorValues: expected float32 or int32, got ${t.dtype}`);
  return t.dataSync() as Float32Array | Int32Array;
}

/**
 * The value of a one-element float32 or int32 tensor read now, where the active backend
 * registered a reader (wasm: its heap, synchronous and without a copy), else undefined: on
 * such a backend a running sum can live in JavaScript instead of costing two kernels per
 * step, while asynchronous backends (WebGL, WebGPU) keep their sums on the device.
 */
export function scalarNow(t: tf.Tensor): number | undefined {
  if (t.size !== 1) return undefined;
  return readers.get(tf.getBackend())?.(t)?.[0];
}
