import type { TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { narrowProduct } from './narrow-mat-mul.js';
import type { KernelOverride } from './override.js';
import { asWasmBackend, dispose, runKernel } from './wasm-backend.js';

/**
 * Matrix product with a transposed operand, as the gradients of a dense layer ask for it
 * (dW = x^T dy, dx = dy W^T):
 *
 *   out[b, i, j] = sum over k of op(a)[b, i, k] * op(b)[b, k, j],   op = transpose or identity
 *
 * tfjs-backend-wasm multiplies transposed operands in a plain loop (about 1.5 GMAC/s against
 * 11.5 for XNNPACK's path, see BENCHMARKS.md): transposing the operand first with the
 * backend's Transpose kernel and then taking the plain product is several times faster.
 * Products with at most 16 output columns (a classifier head and its weight gradient) go to
 * simd/narrow-mat-mul.as instead.
 */
export const batchMatMulOverride: KernelOverride = {
  kernelName: tf.BatchMatMul,
  kernelFunc(args, original): TensorInfo {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const { transposeA, transposeB } = args.attrs as unknown as tf.BatchMatMulAttrs;
    const narrow = narrowProduct(args.backend, a, b, { transposeA, transposeB });
    if (narrow) return narrow;
    if (!transposeA && !transposeB) return original(args);
    const backend = asWasmBackend(args.backend, tf.BatchMatMul);
    const swapLast = (t: TensorInfo) => {
      const perm = t.shape.map((_, i) => i);
      perm.splice(-2, 2, perm.length - 1, perm.length - 2);
      return runKernel(backend, tf.Transpose, { x: t }, { perm });
    };
    const a2 = transposeA ? swapLast(a) : a;
    const b2 = transposeB ? swapLast(b) : b;
    const out = original({
      ...args,
      inputs: { a: a2, b: b2 },
      attrs: { ...args.attrs, transposeA: false, transposeB: false },
    });
    if (a2 !== a) dispose(backend, a2);
    if (b2 !== b) dispose(backend, b2);
    return out;
  },
};

/**
 * The fused product (+ bias, + relu) of a dense layer with at most 16 outputs, in
 * simd/narrow-mat-mul.as; every other case (more columns, transposes, other activations,
 * PReLU weights) goes to tfjs-backend-wasm's XNNPACK kernel.
 */
export const fusedMatMulOverride: KernelOverride = {
  kernelName: tf._FusedMatMul,
  kernelFunc(args, original): TensorInfo {
    const { a, b, bias, preluActivationWeights } = args.inputs as {
      a: TensorInfo;
      b: TensorInfo;
      bias?: TensorInfo;
      preluActivationWeights?: TensorInfo;
    };
    const { transposeA, transposeB, activation } = args.attrs as unknown as tf._FusedMatMulAttrs;
    if (preluActivationWeights || (activation !== 'linear' && activation !== 'relu'))
      return original(args);
    return (
      narrowProduct(args.backend, a, b, {
        bias,
        relu: activation === 'relu',
        transposeA,
        transposeB,
      }) ?? original(args)
    );
  },
};
