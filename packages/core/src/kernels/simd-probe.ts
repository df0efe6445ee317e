import * as tf from '@tensorflow/tfjs-core';

/**
 * Whether a wasm module runs the SIMD kernels: set by simd-kernels.ts when it loads (kernel
 * registration imports it). Kept apart so that the ops asking {@link canRunSimdKernel} do not
 * bring the kernels' wasm binaries into a bundle that registers no kernel (a browser app on WebGL).
 */
let probe: ((wasm: object) => boolean) | undefined;

/** Installs the test behind {@link canRunSimdKernel} (simd-kernels.ts does, once). */
export function setSimdProbe(test: (wasm: object) => boolean): void {
  probe = test;
}

/**
 * True when the active tfjs backend has `kernelName` registered and can run the SIMD kernels
 * (wasm with SIMD): the test the ops built on SIMD-only kernels make before using them.
 */
export function canRunSimdKernel(kernelName: string): boolean {
  if (probe === undefined || tf.getKernel(kernelName, tf.getBackend()) === undefined) return false;
  const wasm = (tf.backend() as { wasm?: object }).wasm;
  return wasm !== undefined && probe(wasm);
}
