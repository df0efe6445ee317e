import * as tf from '@tensorflow/tfjs-core';
import { registerWasmTrainingKernels } from '../kernels/index.js';
import { type BackendCandidate, BackendUnavailableError } from './select.js';
import { webgpuNodeCandidate } from './webgpu-node.js';

/** Imports a module by specifier; apps pass their own so resolution starts from the app. */
export type ModuleImporter = (specifier: string) => Promise<unknown>;

/**
 * Environment variable that picks a backend when no `--backend` is given.
 * `TUNELAB_BACKEND=wasm tunelab train ...` skips tfjs-node(-gpu).
 */
export const BACKEND_ENV_VAR = 'TUNELAB_BACKEND';

/**
 * Backends for Node.js in order of preference: tfjs-node-gpu, tfjs-node, webgpu (Dawn, when
 * the `webgpu` package is installed and finds a GPU), wasm, cpu.
 * Each is imported only when selection reaches it, through `importModule` (pass
 * `(s) => import(s)` from the app so packages resolve from the app's dependencies).
 */
export function nodeBackendCandidates(importModule: ModuleImporter): BackendCandidate[] {
  return [
    {
      name: 'tfjs-node-gpu',
      packageName: '@tensorflow/tfjs-node-gpu',
      tfBackend: 'tensorflow',
      load: () => importModule('@tensorflow/tfjs-node-gpu').then(() => undefined),
      async check() {
        const backend = tf.backend() as { isUsingGpuDevice?: boolean };
        return backend.isUsingGpuDevice === false
          ? 'no GPU (TensorFlow found no CUDA device)'
          : undefined;
      },
    },
    {
      name: 'tfjs-node',
      packageName: '@tensorflow/tfjs-node',
      tfBackend: 'tensorflow',
      load: () => importModule('@tensorflow/tfjs-node').then(() => undefined),
    },
    webgpuNodeCandidate(importModule),
    wasmCandidate(importModule),
    cpuCandidate(importModule),
  ];
}

/** Loaders a browser app provides (static `import()` thunks, so its bundler can see them). */
export interface BrowserBackendLoaders {
  /** `() => import('@tensorflow/tfjs-backend-webgpu')`, when the app bundles it. */
  webgpu?: () => Promise<unknown>;
  /** `() => import('@tensorflow/tfjs-backend-webgl')`, when the app bundles it. */
  webgl?: () => Promise<unknown>;
  /** `() => import('@tensorflow/tfjs-backend-wasm')`, when the app bundles it. */
  wasm?: () => Promise<unknown>;
  /** `() => import('@tensorflow/tfjs-backend-cpu')`, the fallback that always works. */
  cpu?: () => Promise<unknown>;
}

/**
 * Backends for the browser in order of preference: webgpu, webgl, wasm, cpu.
 * ```ts
 * browserBackendCandidates({
 *   webgl: () => import('@tensorflow/tfjs-backend-webgl'),
 *   cpu: () => import('@tensorflow/tfjs-backend-cpu'),
 * }); // tries webgl, then cpu
 * ```
 */
export function browserBackendCandidates(loaders: BrowserBackendLoaders): BackendCandidate[] {
  const fromLoader = (
    key: keyof BrowserBackendLoaders,
    packageName: string,
  ): (() => Promise<void>) => {
    return async () => {
      const loader = loaders[key];
      if (!loader)
        throw new BackendUnavailableError(
          'not-installed',
          `not installed (the app bundles no ${packageName})`,
        );
      await loader();
    };
  };
  return [
    {
      name: 'webgpu',
      packageName: '@tensorflow/tfjs-backend-webgpu',
      tfBackend: 'webgpu',
      async load() {
        const gpu = (globalThis as { navigator?: { gpu?: { requestAdapter(): Promise<unknown> } } })
          .navigator?.gpu;
        if (!gpu)
          throw new BackendUnavailableError('no-gpu', 'no GPU (this browser offers no WebGPU)');
        if (!(await gpu.requestAdapter()))
          throw new BackendUnavailableError('no-gpu', 'no GPU (WebGPU found no adapter)');
        await fromLoader('webgpu', '@tensorflow/tfjs-backend-webgpu')();
      },
    },
    {
      name: 'webgl',
      packageName: '@tensorflow/tfjs-backend-webgl',
      tfBackend: 'webgl',
      load: fromLoader('webgl', '@tensorflow/tfjs-backend-webgl'),
    },
    {
      name: 'wasm',
      packageName: '@tensorflow/tfjs-backend-wasm',
      tfBackend: 'wasm',
      load: async () => {
        await fromLoader('wasm', '@tensorflow/tfjs-backend-wasm')();
        registerWasmTrainingKernels();
      },
    },
    {
      name: 'cpu',
      packageName: '@tensorflow/tfjs-backend-cpu',
      tfBackend: 'cpu',
      load: fromLoader('cpu', '@tensorflow/tfjs-backend-cpu'),
    },
  ];
}

function wasmCandidate(importModule: ModuleImporter): BackendCandidate {
  return {
    name: 'wasm',
    packageName: '@tensorflow/tfjs-backend-wasm',
    tfBackend: 'wasm',
    // tfjs-backend-wasm 4.22 lacks the conv gradient kernels: ours make CNNs train on wasm.
    load: () =>
      importModule('@tensorflow/tfjs-backend-wasm').then(() => registerWasmTrainingKernels()),
  };
}

function cpuCandidate(importModule: ModuleImporter): BackendCandidate {
  return {
    name: 'cpu',
    packageName: '@tensorflow/tfjs-backend-cpu',
    tfBackend: 'cpu',
    load: () => importModule('@tensorflow/tfjs-backend-cpu').then(() => undefined),
  };
}
