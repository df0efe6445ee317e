import * as tf from '@tensorflow/tfjs-core';
import { BytesToFloatKernel } from '../kernels/bytes-to-float.js';
import { canRunSimdKernel } from '../kernels/simd-probe.js';

/** Values of a byte times `scale`, for the JavaScript path (a table lookup beats a multiply and a conversion). */
function table(scale: number): Float32Array {
  // The float32 product, as the kernel computes it (exact in a double, then rounded once).
  const s = Math.fround(scale);
  return Float32Array.from({ length: 256 }, (_, v) => v * s);
}
let lastTable: { scale: number; values: Float32Array } | null = null;

/**
 * A float32 tensor of `shape` from uint8 values times `scale` (pixels / 255): on wasm the
 * bytes go to the heap as they are (a quarter of the float32 traffic) and one SIMD kernel
 * converts them there; elsewhere a table lookup in JavaScript. `bytes` may be longer than the
 * shape's size (padding to a multiple of 4 lets the wasm path skip a copy). The tensor keeps
 * no reference to `bytes`: the caller may overwrite them once this returns.
 * `floatTensorFromBytes(Uint8Array.of(0, 255), [2], 1 / 255)` is [0, 1].
 */
export function floatTensorFromBytes(
  bytes: Uint8Array,
  shape: readonly number[],
  scale: number,
): tf.Tensor {
  const size = tf.util.sizeFromShape([...shape]);
  if (bytes.length < size)
    throw new Error(`floatTensorFromBytes: ${bytes.length} bytes for shape [${shape}] (${size})`);
  if (size > 0 && canRunSimdKernel(BytesToFloatKernel)) {
    const words = Math.ceil(size / 4);
    const aligned =
      bytes.byteOffset % 4 === 0 && bytes.length >= words * 4
        ? bytes
        : (() => {
            const copy = new Uint8Array(words * 4);
            copy.set(bytes.subarray(0, size));
            return copy;
          })();
    const packed = tf.tensor1d(new Int32Array(aligned.buffer, aligned.byteOffset, words), 'int32');
    try {
      return tf.engine().runKernel(BytesToFloatKernel, { bytes: packed }, {
        shape: [...shape],
        scale,
      } as unknown as tf.NamedAttrMap) as tf.Tensor;
    } finally {
      packed.dispose();
    }
  }
  if (lastTable?.scale !== scale) lastTable = { scale, values: table(scale) };
  const lut = lastTable.values;
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = lut[bytes[i]!]!;
  return tf.tensor(values, [...shape], 'float32');
}
