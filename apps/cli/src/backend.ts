import * as tf from '@tensorflow/tfjs-core';
import {
  BACKEND_ENV_VAR,
  type BackendSelection,
  BackendSelectionError,
  nodeBackendCandidates,
  selectBackend,
} from '@tunelab/core';
import { enableWasmRelaxedSimd } from '@tunelab/core/node';
import { UsageError } from './errors.js';

/** Backend names the CLI accepts, in the order tried when none is given. */
export const BACKEND_NAMES = nodeBackendCandidates(() => Promise.resolve()).map((c) => c.name);

/**
 * Picks the backend: --backend, else the experiment's, else $TUNELAB_BACKEND, else the first
 * of tfjs-node-gpu, tfjs-node, webgpu (Dawn), wasm, cpu that loads. Imports resolve from this package.
 * Turns on wasm relaxed SIMD first where Node keeps it behind a flag (enableWasmRelaxedSimd).
 */
export async function chooseBackend(requested: string | undefined): Promise<BackendSelection> {
  tf.enableProdMode();
  // Before any wasm kernel compiles: Node 20 keeps relaxed SIMD (the products' fused
  // multiply-adds) behind a V8 flag; TUNELAB_RELAXED_SIMD=0 keeps it off.
  enableWasmRelaxedSimd();
  try {
    return await selectBackend({
      candidates: nodeBackendCandidates((specifier) => import(specifier)),
      requested: requested ?? process.env[BACKEND_ENV_VAR],
    });
  } catch (error) {
    if (error instanceof BackendSelectionError && /^Unknown backend/.test(error.message))
      throw new UsageError(error.message);
    throw error;
  }
}

/** "wasm (tfjs-node-gpu: not installed (...); tfjs-node: ...)": the choice and why earlier ones were skipped. */
export function describeSelection(selection: BackendSelection): string {
  const skipped = selection.attempts.filter(
    (a) => a.outcome !== 'chosen' && a.outcome !== 'not-requested',
  );
  const how = selection.explicit
    ? 'as requested'
    : skipped.length
      ? `skipped ${skipped.map((a) => `${a.name}: ${a.detail}`).join('; ')}`
      : 'first choice';
  return `${selection.name} (${how})`;
}
