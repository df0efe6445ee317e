import { type NDArray, ndarray, shape4 } from './ndarray.js';
import { axisWindows, type Padding, pair } from './padding.js';

/** Window size, step and padding of {@link maxPoolForward}, as in tf.maxPool. */
export interface PoolGeometry {
  /** Window size, [rows, cols] or one number for both. */
  poolSize: number | readonly [number, number];
  /** Step between windows, [rows, cols] or one number. Default: the pool size (no overlap). */
  strides?: number | readonly [number, number];
  /** 'valid' or 'same'; padded positions are ignored (as if -infinity), not zeros. Default 'valid'. */
  padding?: Padding;
}

/** Sizes and window positions shared by the forward and backward passes. */
function poolShapes(x: NDArray, geometry: PoolGeometry) {
  const [N, H, W, C] = shape4(x, 'max pool input x [N, H, W, C]');
  const [ph, pw] = pair(geometry.poolSize, 'max pool poolSize');
  const [sh, sw] = pair(geometry.strides ?? geometry.poolSize, 'max pool strides');
  const rows = axisWindows(H, ph, sh, 1, geometry.padding ?? 'valid');
  const cols = axisWindows(W, pw, sw, 1, geometry.padding ?? 'valid');
  return {
    N,
    H,
    W,
    C,
    ph,
    pw,
    sh,
    sw,
    OH: rows.out,
    OW: cols.out,
    top: rows.padBefore,
    left: cols.padBefore,
  };
}

/**
 * Calls `visit(outIndex, argMax)` for every pooling window: the window's index in the output
 * and the index in x of its maximum. Ties go to the first maximum in row-major order within
 * the window (top row first, then left to right), because only a strictly larger value
 * replaces the current one; tfjs breaks ties the same way.
 */
function forEachWindowMax(
  x: NDArray,
  geometry: PoolGeometry,
  visit: (outIndex: number, argMax: number) => void,
): void {
  const { N, H, W, C, ph, pw, sh, sw, OH, OW, top, left } = poolShapes(x, geometry);
  for (let n = 0; n < N; n++) {
    for (let i = 0; i < OH; i++) {
      for (let j = 0; j < OW; j++) {
        for (let c = 0; c < C; c++) {
          let argMax = -1;
          for (let p = 0; p < ph; p++) {
            const r = i * sh + p - top;
            if (r < 0 || r >= H) continue; // padding takes no part
            for (let q = 0; q < pw; q++) {
              const s = j * sw + q - left;
              if (s < 0 || s >= W) continue;
              const xi = ((n * H + r) * W + s) * C + c;
              if (argMax < 0 || x.data[xi]! > x.data[argMax]!) argMax = xi;
            }
          }
          visit(((n * OH + i) * OW + j) * C + c, argMax);
        }
      }
    }
  }
}

/**
 * Max pooling over each channel separately: y[n, i, j, c] = max over the window of
 * x[n, i*sh + p - top, j*sw + q - left, c] for p < PH, q < PW (positions inside the input).
 * x is NHWC [N, H, W, C]; returns [N, OH, OW, C].
 */
export function maxPoolForward(x: NDArray, geometry: PoolGeometry): NDArray {
  const { N, OH, OW, C } = poolShapes(x, geometry);
  const y = ndarray([N, OH, OW, C]);
  forEachWindowMax(x, geometry, (out, argMax) => {
    y.data[out] = x.data[argMax]!;
  });
  return y;
}

/**
 * Backward pass of max pooling given dy = dL/dy: each window's maximum is the only input
 * that moved its output, so the whole dy goes to that arg-max and the rest get zero:
 *
 *   dL/dx[k] = sum over windows whose arg-max is k of dy[window]
 *
 * (a sum because overlapping windows, stride < pool size, can share an arg-max). On a tie
 * the first maximum in row-major order takes it all, as in tfjs; a central difference there
 * gives 1/2 to each of two tied inputs instead, since the max is not differentiable at a tie.
 */
export function maxPoolBackward(x: NDArray, dy: NDArray, geometry: PoolGeometry): NDArray {
  const { N, OH, OW, C } = poolShapes(x, geometry);
  if (dy.shape.join() !== [N, OH, OW, C].join()) {
    throw new Error(
      `max pool: dy has shape [${dy.shape}], expected the output's [${[N, OH, OW, C]}]`,
    );
  }
  const dx = ndarray(x.shape);
  forEachWindowMax(x, geometry, (out, argMax) => {
    dx.data[argMax]! += dy.data[out]!;
  });
  return dx;
}
