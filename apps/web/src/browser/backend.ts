import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import * as tf from '@tensorflow/tfjs-core';
import { type BackendSelection, browserBackendCandidates, selectBackend } from '@tunelab/core';
import type { RunEnvironment } from '@tunelab/core/record';

let chosen: Promise<BackendSelection> | undefined;

/**
 * Picks the tfjs backend once per page, through core's selection: WebGPU where the browser
 * offers an adapter, then WebGL, then wasm, then cpu; `?backend=<name>` in the page's URL
 * asks for one (an error says why it cannot load).
 */
export function chooseBackend(): Promise<BackendSelection> {
  chosen ??= selectBackend({
    candidates: browserBackendCandidates({
      webgpu: () => import('@tensorflow/tfjs-backend-webgpu'),
      webgl: () => import('@tensorflow/tfjs-backend-webgl'),
      wasm: async () => {
        const wasm = await import('@tensorflow/tfjs-backend-wasm');
        // The bundler gives the binaries their own URLs; tell the backend where they are.
        wasm.setWasmPaths({
          'tfjs-backend-wasm.wasm': wasmPlain,
          'tfjs-backend-wasm-simd.wasm': wasmSimd,
          'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
        });
      },
      cpu: () => import('@tensorflow/tfjs-backend-cpu'),
    }),
    requested: new URLSearchParams(location.search).get('backend') ?? undefined,
  });
  // A failed choice can be retried (with another ?backend=).
  chosen.catch(() => {
    chosen = undefined;
  });
  return chosen;
}

/** The environment section of a run trained in this browser. */
export function browserEnvironment(selection: BackendSelection): RunEnvironment {
  return {
    backend: selection.name,
    backendAttempts: selection.attempts.map((a) => ({ ...a })),
    versions: { 'tfjs-core': tf.version_core, browser: navigator.userAgent },
    platform: 'browser',
    arch: navigator.platform || 'unknown',
    cpus: navigator.hardwareConcurrency || 0,
  };
}
