// Choosing the tfjs backend an example computes on.
import * as tf from '@tensorflow/tfjs-core';
import { type BackendSelection, nodeBackendCandidates, selectBackend } from '@tunelab/core';

/**
 * 'exact': the plain-JavaScript cpu backend, for small computations compared number by
 * number. 'fast': the fastest backend installed (tfjs-node-gpu, tfjs-node, then wasm with
 * tunelab's training kernels), or the one named by TUNELAB_BACKEND. Returns the selection
 * (a run record's environment is described from it).
 */
export async function useBackend(kind: 'exact' | 'fast'): Promise<BackendSelection> {
  if (kind === 'exact') {
    await import('@tensorflow/tfjs-backend-cpu');
    await tf.setBackend('cpu');
    return { name: 'cpu', tfBackend: 'cpu', attempts: [], explicit: true };
  }
  return selectBackend({
    candidates: nodeBackendCandidates((specifier) => import(specifier)),
    requested: process.env.TUNELAB_BACKEND,
  });
}
