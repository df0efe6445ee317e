import { type NDArray, ndarray, shape2 } from './ndarray.js';

/**
 * Matrix product with the textbook loop: C[i, j] = sum_k A[i, k] * B[k, j].
 * A is [m, n], B is [n, p], C is [m, p].
 */
export function matMul(a: NDArray, b: NDArray): NDArray {
  const [m, n] = shape2(a, 'matMul a');
  const [n2, p] = shape2(b, 'matMul b');
  if (n !== n2) throw new Error(`matMul: [${a.shape}] x [${b.shape}]: inner sizes differ`);
  const c = ndarray([m, p]);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < p; j++) {
      let sum = 0;
      for (let k = 0; k < n; k++) sum += a.data[i * n + k]! * b.data[k * p + j]!;
      c.data[i * p + j] = sum;
    }
  }
  return c;
}

/** Transpose of a matrix: T[j, i] = A[i, j]. */
export function transpose(a: NDArray): NDArray {
  const [m, n] = shape2(a, 'transpose');
  const t = ndarray([n, m]);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) t.data[j * m + i] = a.data[i * n + j]!;
  }
  return t;
}

/**
 * Linear (fully connected) layer as one matrix product plus a bias:
 *
 *   y = x W + b,  i.e.  y[n, j] = b[j] + sum_i x[n, i] * W[i, j]
 *
 * x is [batch, inputs], W is [inputs, outputs] (the layout of tunelab's Linear and of Keras
 * Dense), b is [outputs] or null. The product is the explicit loop of {@link matMul}, not
 * tf.matMul: the loop is the thing to read, and float64 arithmetic lets finite differences
 * check {@link linearBackward}.
 */
export function linearForward(x: NDArray, w: NDArray, b: NDArray | null): NDArray {
  const y = matMul(x, w);
  if (b) {
    const [rows, outputs] = shape2(y, 'linear output');
    if (b.data.length !== outputs) {
      throw new Error(`linear: bias has ${b.data.length} values, expected ${outputs}`);
    }
    for (let n = 0; n < rows; n++) {
      for (let j = 0; j < outputs; j++) y.data[n * outputs + j]! += b.data[j]!;
    }
  }
  return y;
}

/** Gradients of a loss L through {@link linearForward}. */
export interface LinearGradients {
  /** dL/dx = dy W^T, [batch, inputs]. */
  dx: NDArray;
  /** dL/dW = x^T dy, [inputs, outputs]. */
  dw: NDArray;
  /** dL/db = sum over the batch of dy, [outputs]. */
  db: NDArray;
}

/**
 * Backward pass of y = x W + b given dy = dL/dy [batch, outputs]. Since
 * y[n, j] = b[j] + sum_i x[n, i] W[i, j]:
 *
 *   dL/dx = dy W^T     dL/dW = x^T dy     dL/db[j] = sum_n dy[n, j]
 */
export function linearBackward(x: NDArray, w: NDArray, dy: NDArray): LinearGradients {
  const [rows, outputs] = shape2(dy, 'linear dy');
  const db = ndarray([outputs]);
  for (let n = 0; n < rows; n++) {
    for (let j = 0; j < outputs; j++) db.data[j]! += dy.data[n * outputs + j]!;
  }
  return { dx: matMul(dy, transpose(w)), dw: matMul(transpose(x), dy), db };
}
