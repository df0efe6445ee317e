import type { TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import type { KernelOverride, OriginalKernel } from './override.js';
import type { KernelArgs } from './wasm-backend.js';

/** The backend's reference count of a tensor's data, which tfjs-backend-wasm keeps. */
interface RefCounting {
  incRef(dataId: tf.DataId): void;
}

/**
 * The input itself as the output: its heap memory shared, its reference count raised, as
 * tfjs-backend-cpu does it. Kernels never write into their inputs, so sharing is safe;
 * tfjs-backend-wasm copies instead.
 */
function share(args: KernelArgs, original: OriginalKernel): TensorInfo {
  const { x } = args.inputs as { x: TensorInfo };
  const backend = args.backend as Partial<RefCounting>;
  if (x.dtype === 'string' || typeof backend.incRef !== 'function') return original(args);
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/**
 * Identity without a copy. The engine clones every tensor a gradient saves for the backward
 * pass: on wasm that was a [100, 28, 28, 8] copy per cnn4 layer, about 1.2 ms a step.
 */
export const identityOverride: KernelOverride = {
  kernelName: tf.Identity,
  kernelFunc: share,
};

/** Cast to the dtype a tensor already has (the ReLU gradient's step(x) to float32), no copy. */
export const sameTypeCastOverride: KernelOverride = {
  kernelName: tf.Cast,
  kernelFunc(args, original): TensorInfo {
    const { x } = args.inputs as { x: TensorInfo };
    const { dtype } = args.attrs as unknown as tf.CastAttrs;
    return dtype === x.dtype ? share(args, original) : original(args);
  },
};
