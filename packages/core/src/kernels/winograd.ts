import type * as tf from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { SimdKernels } from './simd-kernels.js';
import { dispose, heapOffset, type WasmBackend } from './wasm-backend.js';

type Conv2DInfo = tf.backend_util.Conv2DInfo;

/**
 * Floats of one tile position's two matrices in a chunk (V[xi] [chunk, ci] and M[xi]
 * [chunk, co]): 16 KB, so the product over them runs in L1 and all sixteen stay in L2
 * between the transforms. m2cnn, one thread: 13.5-13.7 ms a step at 4096, 14.0-14.4 at 2048
 * and 14.3-15.3 at 16384 and above; ResNet-18 the same within noise from 4096 to 16384.
 */
const CHUNK_FLOATS = 4096;

let enabled =
  (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env
    ?.TUNELAB_WINOGRAD !== '0';

/**
 * Turns the Winograd convolutions on or off (on by default; $TUNELAB_WINOGRAD=0 in Node starts
 * with them off): off, 3x3 layers run as im2col products like every other convolution. For
 * tests and for measuring one against the other.
 */
export function setWinogradEnabled(on: boolean): void {
  enabled = on;
}

/**
 * True when the convolution is 3x3 with stride 1 and dilation 1 (NHWC), padding at most 2 on
 * each side, and both channel counts are multiples of 4 and at least 8: where F(2x2, 3x3)
 * applies and its products (shared dimension = channels) are long enough to pay for the tile
 * transforms. m2cnn's second and third layers and ResNet-18's 3x3 layers after the stem.
 */
export function winogradFits(info: Conv2DInfo): boolean {
  const pad = info.padInfo;
  return (
    enabled &&
    info.filterHeight === 3 &&
    info.filterWidth === 3 &&
    info.strideHeight === 1 &&
    info.strideWidth === 1 &&
    info.dilationHeight === 1 &&
    info.dilationWidth === 1 &&
    info.dataFormat === 'channelsLast' &&
    info.inChannels % 4 === 0 &&
    info.outChannels % 4 === 0 &&
    info.inChannels >= 8 &&
    info.outChannels >= 8 &&
    info.batchSize > 0 &&
    info.outHeight > 0 &&
    info.outWidth > 0 &&
    [pad.top, pad.left, pad.bottom, pad.right].every((p) => p >= 0 && p <= 2)
  );
}

/** Tiles per chunk for `ci` + `co` channels: a multiple of 4, at least 16, at most all tiles. */
function chunkTiles(ci: number, co: number, tiles: number): number {
  const target = Math.max(16, Math.floor(CHUNK_FLOATS / (ci + co) / 4) * 4);
  return Math.min(target, Math.ceil(tiles / 4) * 4);
}

/** 2x2 output tiles of an oh x ow output, over the batch. */
function tileCount(n: number, oh: number, ow: number): number {
  return n * Math.ceil(oh / 2) * Math.ceil(ow / 2);
}

/**
 * relu?(conv(x, W) + bias) over input x [n, h, w, ci] for the output size and top / left
 * padding given, by F(2x2, 3x3); `flipped` runs the filter turned by 180 degrees with its
 * channels swapped (the input gradient's convolution of dy).
 */
function forward(
  backend: WasmBackend,
  simd: SimdKernels,
  x: TensorInfo,
  filter: TensorInfo,
  bias: TensorInfo | undefined,
  relu: boolean,
  shape: { n: number; h: number; w: number; ci: number; oh: number; ow: number; co: number },
  pad: { top: number; left: number },
  flipped: boolean,
): TensorInfo {
  const { n, h, w, ci, oh, ow, co } = shape;
  const chunk = chunkTiles(ci, co, tileCount(n, oh, ow));
  const u = backend.makeOutput([16 * ci * co], 'float32');
  const v = backend.makeOutput([16 * chunk * ci], 'float32');
  const m = backend.makeOutput([16 * chunk * co], 'float32');
  const out = backend.makeOutput([n, oh, ow, co], 'float32');
  const at = (t: TensorInfo) => heapOffset(backend, t);
  // The filter's own channel counts: [3, 3, ci, co], or [3, 3, co, ci] when flipped.
  if (flipped) simd.winogradFilter(at(filter), at(u), co, ci, 1, 1);
  else simd.winogradFilter(at(filter), at(u), ci, co, 0, 0);
  simd.winogradForward(
    at(x),
    at(u),
    bias ? at(bias) : 0,
    at(out),
    at(v),
    at(m),
    chunk,
    relu ? 1 : 0,
    n,
    h,
    w,
    ci,
    oh,
    ow,
    co,
    pad.top,
    pad.left,
  );
  dispose(backend, u, v, m);
  return out;
}

/** relu?(conv(x, filter) + bias) [n, oh, ow, co] for a convolution {@link winogradFits} takes. */
export function convForwardWinograd(
  backend: WasmBackend,
  simd: SimdKernels,
  x: TensorInfo,
  filter: TensorInfo,
  bias: TensorInfo | undefined,
  info: Conv2DInfo,
  relu: boolean,
): TensorInfo {
  return forward(
    backend,
    simd,
    x,
    filter,
    bias,
    relu,
    {
      n: info.batchSize,
      h: info.inHeight,
      w: info.inWidth,
      ci: info.inChannels,
      oh: info.outHeight,
      ow: info.outWidth,
      co: info.outChannels,
    },
    info.padInfo,
    false,
  );
}

/**
 * dx [n, h, w, ci] of a convolution {@link winogradFits} takes: the stride-1 convolution of dy
 * with the filter turned by 180 degrees and its channels swapped, padded 2 - pt / 2 - pl.
 */
export function convInputGradWinograd(
  backend: WasmBackend,
  simd: SimdKernels,
  dy: TensorInfo,
  filter: TensorInfo,
  info: Conv2DInfo,
): TensorInfo {
  return forward(
    backend,
    simd,
    dy,
    filter,
    undefined,
    false,
    {
      n: info.batchSize,
      h: info.outHeight,
      w: info.outWidth,
      ci: info.outChannels,
      oh: info.inHeight,
      ow: info.inWidth,
      co: info.inChannels,
    },
    { top: 2 - info.padInfo.top, left: 2 - info.padInfo.left },
    true,
  );
}

/** dW [3, 3, ci, co] of a convolution {@link winogradFits} takes, from x and dy. */
export function convFilterGradWinograd(
  backend: WasmBackend,
  simd: SimdKernels,
  x: TensorInfo,
  dy: TensorInfo,
  info: Conv2DInfo,
): TensorInfo {
  const ci = info.inChannels;
  const co = info.outChannels;
  const chunk = chunkTiles(ci, co, tileCount(info.batchSize, info.outHeight, info.outWidth));
  const du = backend.makeOutput([16 * ci * co], 'float32');
  const v = backend.makeOutput([16 * chunk * ci], 'float32');
  const z = backend.makeOutput([16 * chunk * co], 'float32');
  const dW = backend.makeOutput([3, 3, ci, co], 'float32');
  const at = (t: TensorInfo) => heapOffset(backend, t);
  simd.winogradFilterGrad(
    at(x),
    at(dy),
    at(dW),
    at(du),
    at(v),
    at(z),
    chunk,
    info.batchSize,
    info.inHeight,
    info.inWidth,
    ci,
    info.outHeight,
    info.outWidth,
    co,
    info.padInfo.top,
    info.padInfo.left,
  );
  dispose(backend, du, v, z);
  return dW;
}
