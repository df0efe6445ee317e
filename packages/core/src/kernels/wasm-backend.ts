import type {
  DataId,
  DataType,
  KernelConfig,
  NamedAttrMap,
  NamedTensorInfoMap,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * The parts of tfjs-backend-wasm's `BackendWasm` these kernels use, typed structurally: core
 * only has the wasm package as a devDependency, so the kernels must not import it.
 */
export interface WasmBackend {
  /** The Emscripten module; its heap view is replaced whenever the heap grows. */
  readonly wasm: { readonly HEAPF32: Float32Array; readonly asm?: { readonly memory?: unknown } };
  readonly dataIdMap: { get(dataId: DataId): { memoryOffset: number } | undefined };
  /** Allocates an uninitialised tensor on the wasm heap. */
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  disposeData(dataId: DataId, force?: boolean): boolean;
}

/** What tfjs passes to a kernel function. */
export interface KernelArgs {
  inputs: NamedTensorInfoMap;
  backend: unknown;
  attrs?: NamedAttrMap;
}

/**
 * A wasm kernel config from a typed kernel function. Every call is annotated as pure (a
 * `@__PURE__` comment before it): bundlers then drop the config, and the SIMD binaries its
 * function reaches, from an app that imports only the kernel's name (the layers do).
 */
export function wasmKernel(
  kernelName: string,
  kernelFunc: (args: KernelArgs) => TensorInfo,
): KernelConfig {
  return { kernelName, backendName: 'wasm', kernelFunc: kernelFunc as KernelConfig['kernelFunc'] };
}

/** Throws unless `backend` looks like tfjs-backend-wasm's `BackendWasm`. */
export function asWasmBackend(backend: unknown, kernelName: string): WasmBackend {
  const b = backend as Partial<WasmBackend> | null;
  if (b?.wasm?.HEAPF32 === undefined || b.dataIdMap === undefined || b.makeOutput === undefined) {
    throw new Error(`${kernelName}: expected the tfjs wasm backend, got ${String(backend)}`);
  }
  return b as WasmBackend;
}

/** Byte offset of a tensor's data in the wasm heap. */
export function heapOffset(backend: WasmBackend, info: TensorInfo): number {
  const data = backend.dataIdMap.get(info.dataId);
  if (data === undefined) throw new Error(`tensor ${String(info.dataId)} is not on the wasm heap`);
  return data.memoryOffset;
}

/**
 * A float32 view of a tensor's data on the wasm heap. Valid until the next allocation: growing
 * the heap replaces `HEAPF32`, so take views after making outputs.
 */
export function heapView(backend: WasmBackend, info: TensorInfo): Float32Array {
  const offset = heapOffset(backend, info) >>> 2;
  return backend.wasm.HEAPF32.subarray(offset, offset + tf.util.sizeFromShape(info.shape));
}

/**
 * Runs another wasm kernel from inside a kernel, as tfjs-backend-wasm's own composite kernels
 * do (no tape, no engine bookkeeping). The caller owns the result and must dispose it.
 */
export function runKernel(
  backend: WasmBackend,
  kernelName: string,
  inputs: NamedTensorInfoMap,
  attrs: object = {},
): TensorInfo {
  const kernel = tf.getKernel(kernelName, 'wasm');
  if (kernel === undefined) throw new Error(`kernel ${kernelName} is not registered for wasm`);
  const out = kernel.kernelFunc({ inputs, backend, attrs: attrs as NamedAttrMap });
  if (Array.isArray(out)) throw new Error(`kernel ${kernelName} returned several outputs`);
  return out;
}

/** The same data under another shape of equal size (no kernel, no copy). */
export function reshaped(info: TensorInfo, shape: number[]): TensorInfo {
  return { dataId: info.dataId, shape, dtype: info.dtype };
}

/** Frees intermediate tensors made inside a kernel. */
export function dispose(backend: WasmBackend, ...infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

/**
 * A float32 or int32 tensor's values without a copy when it lives on the wasm heap (a view,
 * valid until the next tfjs call allocates), else undefined. Registered as the wasm backend's
 * tensor reader (ops/tensor-values.ts) with the training kernels.
 */
export function wasmTensorValues(t: tf.Tensor): Float32Array | Int32Array | undefined {
  const backend = tf.backend() as Partial<WasmBackend> | null;
  const data = backend?.dataIdMap?.get(t.dataId);
  const heap = backend?.wasm?.HEAPF32;
  if (data === undefined || heap === undefined || (t.dtype !== 'float32' && t.dtype !== 'int32'))
    return undefined;
  const offset = data.memoryOffset >>> 2;
  const view = t.dtype === 'float32' ? heap : new Int32Array(heap.buffer);
  return view.subarray(offset, offset + t.size);
}
