import { type NDArray, ndarray, shape4 } from './ndarray.js';
import { axisWindows, type Padding, pair } from './padding.js';

/** How a kernel slides over the input, with tf.conv2d's meaning for every field. */
export interface ConvGeometry {
  /** Step between neighbouring windows, [rows, cols] or one number for both. Default 1. */
  strides?: number | readonly [number, number];
  /** 'valid' (no padding) or 'same' (zeros around, out = ceil(in / stride)). Default 'valid'. */
  padding?: Padding;
  /** Spacing of the kernel taps, [rows, cols] or one number; 2 spreads 3x3 over 5x5. Default 1. */
  dilations?: number | readonly [number, number];
}

/** Sizes and window positions shared by the forward and backward loops. */
function convShapes(x: NDArray, w: NDArray, geometry: ConvGeometry) {
  const [N, H, W, C] = shape4(x, 'conv2d input x [N, H, W, C]');
  const [KH, KW, KC, F] = shape4(w, 'conv2d kernel w [KH, KW, C, F]');
  if (KC !== C) throw new Error(`conv2d: kernel expects ${KC} input channels, x has ${C}`);
  const [sh, sw] = pair(geometry.strides ?? 1, 'conv2d strides');
  const [dh, dw] = pair(geometry.dilations ?? 1, 'conv2d dilations');
  const rows = axisWindows(H, KH, sh, dh, geometry.padding ?? 'valid');
  const cols = axisWindows(W, KW, sw, dw, geometry.padding ?? 'valid');
  return {
    N,
    H,
    W,
    C,
    KH,
    KW,
    F,
    sh,
    sw,
    dh,
    dw,
    OH: rows.out,
    OW: cols.out,
    top: rows.padBefore,
    left: cols.padBefore,
  };
}

/**
 * 2-D convolution in plain nested loops (a cross-correlation, as in every deep-learning
 * library: the kernel is not flipped):
 *
 *   y[n, i, j, f] = b[f] + sum_{p, q, c} x[n, i*sh + p*dh - top, j*sw + q*dw - left, c] * w[p, q, c, f]
 *
 * x is NHWC [N, H, W, C], w is HWIO [KH, KW, C, F] (tf.conv2d's layouts), b is [F] or null;
 * (sh, sw) are the strides, (dh, dw) the dilations, (top, left) the padding of
 * {@link axisWindows}. Positions outside the input read as zero. Returns [N, OH, OW, F].
 */
export function conv2dForward(
  x: NDArray,
  w: NDArray,
  b: NDArray | null,
  geometry: ConvGeometry = {},
): NDArray {
  const { N, H, W, C, KH, KW, F, sh, sw, dh, dw, OH, OW, top, left } = convShapes(x, w, geometry);
  if (b && b.data.length !== F)
    throw new Error(`conv2d: bias has ${b.data.length} values, expected ${F}`);
  const y = ndarray([N, OH, OW, F]);
  for (let n = 0; n < N; n++) {
    for (let i = 0; i < OH; i++) {
      for (let j = 0; j < OW; j++) {
        for (let f = 0; f < F; f++) {
          let sum = b ? b.data[f]! : 0;
          for (let p = 0; p < KH; p++) {
            const r = i * sh + p * dh - top;
            if (r < 0 || r >= H) continue; // zero padding
            for (let q = 0; q < KW; q++) {
              const s = j * sw + q * dw - left;
              if (s < 0 || s >= W) continue;
              for (let c = 0; c < C; c++) {
                const xi = ((n * H + r) * W + s) * C + c;
                const wi = ((p * KW + q) * C + c) * F + f;
                sum += x.data[xi]! * w.data[wi]!;
              }
            }
          }
          y.data[((n * OH + i) * OW + j) * F + f] = sum;
        }
      }
    }
  }
  return y;
}

/** Gradients of a loss L through {@link conv2dForward}. */
export interface Conv2dGradients {
  /** dL/dx, [N, H, W, C]. */
  dx: NDArray;
  /** dL/dw, [KH, KW, C, F]. */
  dw: NDArray;
  /** dL/db, [F]. */
  db: NDArray;
}

/**
 * Backward pass of {@link conv2dForward} given dy = dL/dy [N, OH, OW, F]. The same loops:
 * every multiply-add  y[n,i,j,f] += x[n,r,s,c] * w[p,q,c,f]  of the forward pass sends dy
 * back along both of its factors (the product rule), and the bias along its own:
 *
 *   dL/dx[n, r, s, c] += dy[n, i, j, f] * w[p, q, c, f]
 *   dL/dw[p, q, c, f] += dy[n, i, j, f] * x[n, r, s, c]
 *   dL/db[f]          += dy[n, i, j, f]
 *
 * (r, s the input position the tap read). Padding positions get no gradient.
 */
export function conv2dBackward(
  x: NDArray,
  w: NDArray,
  dy: NDArray,
  geometry: ConvGeometry = {},
): Conv2dGradients {
  const { N, H, W, C, KH, KW, F, sh, sw, dh, dw, OH, OW, top, left } = convShapes(x, w, geometry);
  if (dy.shape.join() !== [N, OH, OW, F].join()) {
    throw new Error(
      `conv2d: dy has shape [${dy.shape}], expected the output's [${[N, OH, OW, F]}]`,
    );
  }
  const gradX = ndarray(x.shape);
  const gradW = ndarray(w.shape);
  const gradB = ndarray([F]);
  for (let n = 0; n < N; n++) {
    for (let i = 0; i < OH; i++) {
      for (let j = 0; j < OW; j++) {
        for (let f = 0; f < F; f++) {
          const g = dy.data[((n * OH + i) * OW + j) * F + f]!;
          gradB.data[f]! += g;
          for (let p = 0; p < KH; p++) {
            const r = i * sh + p * dh - top;
            if (r < 0 || r >= H) continue;
            for (let q = 0; q < KW; q++) {
              const s = j * sw + q * dw - left;
              if (s < 0 || s >= W) continue;
              for (let c = 0; c < C; c++) {
                const xi = ((n * H + r) * W + s) * C + c;
                const wi = ((p * KW + q) * C + c) * F + f;
                gradX.data[xi]! += g * w.data[wi]!;
                gradW.data[wi]! += g * x.data[xi]!;
              }
            }
          }
        }
      }
    }
  }
  return { dx: gradX, dw: gradW, db: gradB };
}
