import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import type { KernelArgs } from './wasm-backend.js';

/** Calls the kernel an override replaced. */
export type OriginalKernel = (args: KernelArgs) => TensorInfo;

/**
 * A replacement for one of tfjs-backend-wasm's own kernels that handles the cases it makes
 * faster and hands every other case to the kernel it replaces.
 */
export interface KernelOverride {
  readonly kernelName: string;
  kernelFunc(args: KernelArgs, original: OriginalKernel): TensorInfo;
}

/**
 * The config registering `override` in place of `original`. It keeps the original's setup and
 * dispose functions, which bind the original to the wasm module.
 */
export function overrideConfig(override: KernelOverride, original: KernelConfig): KernelConfig {
  const call: OriginalKernel = (args) => original.kernelFunc(args as never) as TensorInfo;
  const config: KernelConfig = {
    kernelName: override.kernelName,
    backendName: 'wasm',
    kernelFunc: ((args: KernelArgs) =>
      override.kernelFunc(args, call)) as KernelConfig['kernelFunc'],
  };
  if (original.setupFunc !== undefined) config.setupFunc = original.setupFunc;
  if (original.disposeFunc !== undefined) config.disposeFunc = original.disposeFunc;
  return config;
}
