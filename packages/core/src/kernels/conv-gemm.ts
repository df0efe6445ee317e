import type * as tf from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { SimdKernels } from './simd-kernels.js';
import { dispose, heapOffset, type WasmBackend } from './wasm-backend.js';

/**
 * Floats of the operand a chunk's product re-reads (the im2col block, or dy's rows), sized to
 * stay in the 1 MB L2 cache of the development machine's cores with room to spare.
 */
const CHUNK_FLOATS = 65536;

/** The convolutions of simd/conv.as: im2col chunks times simd/gemm.as (see conv.as). */
type Conv2DInfo = tf.backend_util.Conv2DInfo;

/** [n, h, w, ci, oh, ow, co, kh, kw, sh, sw, pt, pl], the order simd/conv.as takes. */
function geometry(info: Conv2DInfo): number[] {
  return [
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    info.outChannels,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    info.padInfo.top,
    info.padInfo.left,
  ];
}

/** A multiple of 4 output positions near `target`, within [4, positions]. */
function chunkRows(target: number, positions: number): number {
  return Math.max(4, Math.min(Math.ceil(positions / 4) * 4, Math.floor(target / 4) * 4));
}

/** True when the convolution has work and a shape the gemm kernels take (dilation 1, NHWC). */
export function gemmConvolutionFits(info: Conv2DInfo): boolean {
  return (
    info.dilationHeight === 1 &&
    info.dilationWidth === 1 &&
    info.dataFormat === 'channelsLast' &&
    info.batchSize > 0 &&
    info.outHeight > 0 &&
    info.outWidth > 0 &&
    info.inChannels > 0 &&
    info.outChannels > 0 &&
    info.padInfo.top >= 0 &&
    info.padInfo.left >= 0
  );
}

/** Scratch for `rows` rows of im2col, or none for a 1x1 stride-1 unpadded convolution. */
function colScratch(backend: WasmBackend, info: Conv2DInfo, rows: number): TensorInfo {
  const pointwise =
    info.filterHeight === 1 &&
    info.filterWidth === 1 &&
    info.strideHeight === 1 &&
    info.strideWidth === 1 &&
    info.padInfo.top === 0 &&
    info.padInfo.left === 0;
  const k = info.filterHeight * info.filterWidth * info.inChannels;
  return backend.makeOutput([pointwise ? 1 : rows * k], 'float32');
}

/** relu?(conv(x, filter) + bias) [n, oh, ow, co]. */
export function convForwardGemm(
  backend: WasmBackend,
  simd: SimdKernels,
  x: TensorInfo,
  filter: TensorInfo,
  bias: TensorInfo | undefined,
  info: Conv2DInfo,
  relu: boolean,
): TensorInfo {
  const k = info.filterHeight * info.filterWidth * info.inChannels;
  const positions = info.batchSize * info.outHeight * info.outWidth;
  // The product re-reads a chunk's rows of at most 512 (KC in conv.as) columns per 8 outputs.
  const rows = chunkRows(CHUNK_FLOATS / Math.min(k, 512), positions);
  const out = backend.makeOutput(info.outShape, 'float32');
  const col = colScratch(backend, info, rows);
  simd.conv2dForward(
    heapOffset(backend, x),
    heapOffset(backend, filter),
    bias ? heapOffset(backend, bias) : 0,
    heapOffset(backend, out),
    heapOffset(backend, col),
    rows,
    relu ? 1 : 0,
    ...geometry(info),
  );
  dispose(backend, col);
  return out;
}

/** dW [kh, kw, ci, co] of the convolution from its input and output gradient. */
export function convFilterGradGemm(
  backend: WasmBackend,
  simd: SimdKernels,
  x: TensorInfo,
  dy: TensorInfo,
  info: Conv2DInfo,
): TensorInfo {
  const positions = info.batchSize * info.outHeight * info.outWidth;
  // Each strip of im2col columns streams the chunk's dy rows: those stay in cache.
  const rows = chunkRows(Math.max(64, CHUNK_FLOATS / info.outChannels), positions);
  const dW = backend.makeOutput(
    [info.filterHeight, info.filterWidth, info.inChannels, info.outChannels],
    'float32',
  );
  const col = colScratch(backend, info, rows);
  simd.conv2dFilterGradGemm(
    heapOffset(backend, x),
    heapOffset(backend, dy),
    heapOffset(backend, dW),
    heapOffset(backend, col),
    rows,
    ...geometry(info),
  );
  dispose(backend, col);
  return dW;
}

/** dx [n, h, w, ci] of the convolution from its output gradient and filter. */
export function convInputGradGemm(
  backend: WasmBackend,
  simd: SimdKernels,
  dy: TensorInfo,
  filter: TensorInfo,
  info: Conv2DInfo,
): TensorInfo {
  const k = info.filterHeight * info.filterWidth * info.inChannels;
  const co = info.outChannels;
  const positions = info.batchSize * info.outHeight * info.outWidth;
  // The product re-reads the chunk's dy rows for every 8 columns of W^T.
  const rows = chunkRows(CHUNK_FLOATS / co, positions);
  const wT = backend.makeOutput([co, k], 'float32');
  simd.transpose(heapOffset(backend, filter), heapOffset(backend, wT), k, co);
  const dx = backend.makeOutput(info.inShape, 'float32');
  const col = colScratch(backend, info, rows);
  simd.conv2dInputGradGemm(
    heapOffset(backend, dy),
    heapOffset(backend, wT),
    heapOffset(backend, dx),
    heapOffset(backend, col),
    rows,
    ...geometry(info),
  );
  dispose(backend, col, wT);
  return dx;
}
