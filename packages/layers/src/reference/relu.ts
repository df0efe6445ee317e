import { type NDArray, ndarray } from './ndarray.js';

/** Rectified linear unit, elementwise: y = max(0, x). Any shape. */
export function reluForward(x: NDArray): NDArray {
  return ndarray(
    x.shape,
    x.data.map((v) => Math.max(0, v)),
  );
}

/**
 * Backward pass of ReLU given dy = dL/dy: dL/dx = dy * [x > 0]. At x = 0 the derivative is
 * undefined; we take 0 there, as tfjs does (its gradient multiplies by step(x), 0 at 0).
 */
export function reluBackward(x: NDArray, dy: NDArray): NDArray {
  if (dy.data.length !== x.data.length) {
    throw new Error(`relu: dy has shape [${dy.shape}], expected the input's [${x.shape}]`);
  }
  return ndarray(
    x.shape,
    x.data.map((v, i) => (v > 0 ? dy.data[i]! : 0)),
  );
}
