import type { TensorInfo } from '@tensorflow/tfjs-core';
import { simdKernels } from './simd-kernels.js';
import { asWasmBackend, heapOffset, type KernelArgs, wasmKernel } from './wasm-backend.js';

/** Kernel name of the SGD update of many parameters at once (wasm, registered with the training kernels). */
export const SgdUpdateKernel = 'TunelabSgdUpdate';

/** Attributes of {@link SgdUpdateKernel}. */
export interface SgdUpdateAttrs {
  /** Parameters updated: inputs w0.., g0.. (and v0.. with momentum). */
  count: number;
  /** Learning rate. */
  lr: number;
  /** Momentum mu (0: plain SGD, no velocity inputs or outputs). */
  momentum: number;
  /** 1 for Nesterov's form. */
  nesterov: number;
  /** Coupled L2 decay added to each gradient (0: none). */
  weightDecay: number;
}

/**
 * PyTorch's SGD rule (simd/sgd-update.as) for `count` float32 parameters in one kernel:
 * inputs w_i, g_i (and velocities v_i with momentum); outputs the new w_i, then the new v_i.
 * A per-parameter update costs tfjs two to seven kernels (decay, velocity, step, subtract); a
 * dense model of a few small layers spends more time dispatching them than computing.
 */
function sgdUpdateWasm({ inputs, backend: b, attrs }: KernelArgs): TensorInfo[] {
  const backend = asWasmBackend(b, SgdUpdateKernel);
  const simd = simdKernels(backend.wasm);
  if (simd === undefined) throw new Error(`${SgdUpdateKernel}: no SIMD kernels`);
  const { count, lr, momentum, nesterov, weightDecay } = attrs as unknown as SgdUpdateAttrs;
  const weights: TensorInfo[] = [];
  const velocities: TensorInfo[] = [];
  for (let i = 0; i < count; i++) {
    const w = inputs[`w${i}`]!;
    const g = inputs[`g${i}`]!;
    const v = momentum > 0 ? inputs[`v${i}`]! : null;
    const wOut = backend.makeOutput(w.shape, 'float32');
    const vOut = v ? backend.makeOutput(w.shape, 'float32') : null;
    simd.sgdUpdate(
      heapOffset(backend, w),
      heapOffset(backend, g),
      v ? heapOffset(backend, v) : 0,
      heapOffset(backend, wOut),
      vOut ? heapOffset(backend, vOut) : 0,
      w.shape.reduce((a, c) => a * c, 1),
      lr,
      momentum,
      nesterov,
      weightDecay,
    );
    weights.push(wOut);
    if (vOut) velocities.push(vOut);
  }
  return [...weights, ...velocities];
}

export const sgdUpdateConfig = /* @__PURE__ */ wasmKernel(
  SgdUpdateKernel,
  sgdUpdateWasm as unknown as (args: KernelArgs) => TensorInfo,
);
