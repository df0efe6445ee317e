import type { TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { simdKernels } from './simd-kernels.js';
import { asWasmBackend, dispose, heapOffset } from './wasm-backend.js';

/** Output columns up to which simd/narrow-mat-mul.as beats XNNPACK (classifier heads). */
export const NARROW_COLUMNS = 16;
/** The shared dimension from which it does (below, the call overhead is the cost). */
const MIN_INNER = 16;

/** [1, r, c] or [r, c]: the matrix of a single-batch operand, or null. */
function matrix(t: TensorInfo): [number, number] | null {
  if (t.dtype !== 'float32') return null;
  if (t.shape.length === 2) return t.shape as [number, number];
  if (t.shape.length === 3 && t.shape[0] === 1) return [t.shape[1]!, t.shape[2]!];
  return null;
}

/**
 * x W (+ bias) (relu) for x [rows, inner] and W [inner, n] with n <= 16 (simd/narrow-mat-mul.as);
 * null when the case is not one it handles (then XNNPACK's path runs).
 */
export function narrowProduct(
  backendArg: unknown,
  a: TensorInfo,
  b: TensorInfo,
  options: {
    bias?: TensorInfo | undefined;
    relu?: boolean;
    transposeA?: boolean;
    transposeB?: boolean;
  },
): TensorInfo | null {
  const ma = matrix(a);
  const mb = matrix(b);
  if (!ma || !mb || options.transposeB) return null;
  const backend = asWasmBackend(backendArg, tf.BatchMatMul);
  const simd = simdKernels(backend.wasm);
  if (simd === undefined) return null;
  const bias = options.bias;
  if (options.transposeA) {
    // a^T b: a [k, m], b [k, n]
    const [k, m] = ma;
    const [kb, n] = mb;
    if (kb !== k || n > NARROW_COLUMNS || m < MIN_INNER || bias || options.relu) return null;
    const out = backend.makeOutput(a.shape.length === 3 ? [1, m, n] : [m, n], 'float32');
    const scratch = backend.makeOutput([n * m], 'float32');
    simd.narrowMatMulTN(
      heapOffset(backend, a),
      heapOffset(backend, b),
      heapOffset(backend, scratch),
      heapOffset(backend, out),
      k,
      m,
      n,
    );
    dispose(backend, scratch);
    return out;
  }
  const [rows, inner] = ma;
  const [ib, n] = mb;
  if (ib !== inner || n > NARROW_COLUMNS || inner < MIN_INNER) return null;
  if (bias && !(bias.dtype === 'float32' && tf.util.sizeFromShape(bias.shape) === n)) return null;
  const out = backend.makeOutput(a.shape.length === 3 ? [1, rows, n] : [rows, n], 'float32');
  const scratch = backend.makeOutput([n * inner], 'float32');
  simd.narrowMatMul(
    heapOffset(backend, a),
    heapOffset(backend, b),
    heapOffset(backend, scratch),
    bias ? heapOffset(backend, bias) : 0,
    heapOffset(backend, out),
    rows,
    inner,
    n,
    options.relu ? 1 : 0,
  );
  dispose(backend, scratch);
  return out;
}
