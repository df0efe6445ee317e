import type { TensorInfo } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { simdKernels } from './simd-kernels.js';
import { asWasmBackend, heapOffset, type KernelArgs, wasmKernel } from './wasm-backend.js';

/** Kernel name of the bytes-to-float conversion (wasm, registered with the training kernels). */
export const BytesToFloatKernel = 'TunelabBytesToFloat';

/** Attributes of {@link BytesToFloatKernel}: the output's shape and the factor. */
interface BytesToFloatAttrs {
  shape: number[];
  scale: number;
}

/**
 * Input: bytes packed four to an int32 (a tensor of ceil(size / 4) int32); output float32
 * `shape` = byte * scale, from simd/bytes-to-float.as. Only registered use: {@link floatTensorFromBytes}.
 */
function bytesToFloatWasm({ inputs, backend: b, attrs }: KernelArgs): TensorInfo {
  const backend = asWasmBackend(b, BytesToFloatKernel);
  const { bytes } = inputs as { bytes: TensorInfo };
  const { shape, scale } = attrs as unknown as BytesToFloatAttrs;
  const simd = simdKernels(backend.wasm);
  if (simd === undefined) throw new Error(`${BytesToFloatKernel}: no SIMD kernels`);
  const out = backend.makeOutput(shape, 'float32');
  simd.bytesToFloat(
    heapOffset(backend, bytes),
    heapOffset(backend, out),
    tf.util.sizeFromShape(shape),
    scale,
  );
  return out;
}

export const bytesToFloatConfig = /* @__PURE__ */ wasmKernel(BytesToFloatKernel, bytesToFloatWasm);
