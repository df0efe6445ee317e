import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '@tunelab/core';

/**
 * The one data structure of the reference layers: numbers in row-major order plus a shape,
 * like a NumPy array. Images are NHWC [N, H, W, C], kernels HWIO [KH, KW, C, F], matrices
 * [rows, cols]. Element [n, h, w, c] of an NHWC array sits at ((n * H + h) * W + w) * C + c.
 * Values are float64 so that finite differences can check the gradients.
 */
export interface NDArray {
  readonly shape: readonly number[];
  readonly data: Float64Array;
}

/**
 * An NDArray of `shape` holding a float64 copy of `values`, or zeros when `values` is left out.
 * @example ndarray([2, 3], [1, 2, 3, 4, 5, 6]) // the matrix [[1, 2, 3], [4, 5, 6]]
 */
export function ndarray(shape: readonly number[], values?: ArrayLike<number>): NDArray {
  const size = shape.reduce((a, b) => a * b, 1);
  if (values && values.length !== size) {
    throw new Error(`ndarray: shape [${shape}] needs ${size} values, got ${values.length}`);
  }
  return { shape: [...shape], data: values ? Float64Array.from(values) : new Float64Array(size) };
}

/**
 * An NDArray of standard normal draws times `std`. The draws are float32 numbers, so a
 * float32 tfjs tensor made from it holds exactly the same values.
 */
export function randomNdarray(shape: readonly number[], rng: Rng, std = 1): NDArray {
  return ndarray(
    shape,
    rng.normalArray(
      shape.reduce((a, b) => a * b, 1),
      0,
      std,
    ),
  );
}

/** A tfjs tensor's values as an NDArray (float32 values widen to float64 exactly). */
export function ndarrayFromTensor(tensor: tf.Tensor): NDArray {
  return ndarray(tensor.shape, tensor.dataSync());
}

/** An NDArray as a float32 tfjs tensor (to run the library on the same numbers). */
export function ndarrayToTensor(array: NDArray): tf.Tensor {
  return tf.tensor(Float32Array.from(array.data), [...array.shape], 'float32');
}

/** The shape of a rank-2 array [rows, cols]; `what` names it in the error. */
export function shape2(array: NDArray, what: string): [number, number] {
  if (array.shape.length !== 2) {
    throw new Error(`${what}: expected a matrix [rows, cols], got shape [${array.shape}]`);
  }
  return array.shape as [number, number];
}

/** The shape of a rank-4 array such as NHWC [N, H, W, C]; `what` names it in the error. */
export function shape4(array: NDArray, what: string): [number, number, number, number] {
  if (array.shape.length !== 4) {
    throw new Error(`${what}: expected a rank-4 array, got shape [${array.shape}]`);
  }
  return array.shape as [number, number, number, number];
}
