/**
 * Reference implementations to read: a convolution in plain loops, a linear layer as one
 * matrix product, hand-written backward passes, and an MLP trained with them and plain SGD,
 * no autodiff. Float64 arrays, small shapes, the math and nothing else; every function is
 * checked in its .test.ts against tfjs (values and autodiff gradients) and against central
 * differences. See README.md in this folder.
 */

/**
 * y[n,i,j,f] = b[f] + sum_{p,q,c} x[n, i*sh + p*dh - top, j*sw + q*dw - left, c] w[p,q,c,f]
 * (NHWC input, HWIO kernel); backward sends dy along both factors of every multiply-add.
 */
export {
  type Conv2dGradients,
  type ConvGeometry,
  conv2dBackward,
  conv2dForward,
} from './conv2d.js';
/**
 * Gradient checking: df/dx_i ~ (f(x + h e_i) - f(x - h e_i)) / 2h, the probe loss
 * L = dot(y, c) whose dL/dy is c, and error measures for comparing arrays.
 */
export { centralDifferences, dot, maxAbsDifference, maxRelativeError } from './gradient-check.js';
/** y = x W + b; backward dx = dy W^T, dW = x^T dy, db = sum_n dy. */
export {
  type LinearGradients,
  linearBackward,
  linearForward,
  matMul,
  transpose,
} from './linear.js';
/** y = max over each window; backward routes dy to the window's first arg-max. */
export { maxPoolBackward, maxPoolForward, type PoolGeometry } from './max-pool.js';
/**
 * x -> Linear -> ReLU -> Linear -> softmax cross-entropy, gradients by the chain rule and
 * updates w <- w - lr * grad:
 * `trainMlpByHand(initMlpByHand({ inputs: 784, hidden: 32, classes: 10 }, rng), { x, labels, batchSize: 32, steps: 300, lr: 0.1, rng })`.
 */
export {
  accuracyByHand,
  initMlpByHand,
  type MlpByHand,
  type MlpByHandSizes,
  type MlpByHandStep,
  mlpByHandGradients,
  mlpByHandLogits,
  sgdStepByHand,
  type TrainMlpByHandArgs,
  trainMlpByHand,
} from './mlp-by-hand.js';
/** Row-major float64 arrays with a shape: `ndarray([2, 3], [1, 2, 3, 4, 5, 6])`. */
export {
  type NDArray,
  ndarray,
  ndarrayFromTensor,
  ndarrayToTensor,
  randomNdarray,
} from './ndarray.js';
/**
 * TensorFlow's SAME/VALID rule: 'same' gives out = ceil(in / stride) with padding
 * max((out - 1) * stride + k' - in, 0), floor half before; `axisWindows(4, 3, 2, 1, 'same')`
 * is `{ out: 2, padBefore: 0 }`.
 */
export { type AxisWindows, axisWindows } from './padding.js';
/** y = max(0, x); backward dx = dy * [x > 0]. */
export { reluBackward, reluForward } from './relu.js';
/** L = mean_n (logsumexp(z_n) - z_n[y_n]); backward dz = (softmax(z) - onehot(y)) / B. */
export {
  type SoftmaxCrossEntropy,
  softmaxCrossEntropyBackward,
  softmaxCrossEntropyForward,
} from './softmax-cross-entropy.js';
