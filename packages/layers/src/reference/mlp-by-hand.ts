import type { Rng } from '@tunelab/core';
import { linearBackward, linearForward } from './linear.js';
import { type NDArray, ndarray, shape2 } from './ndarray.js';
import { reluBackward, reluForward } from './relu.js';
import {
  softmaxCrossEntropyBackward,
  softmaxCrossEntropyForward,
} from './softmax-cross-entropy.js';

/** Parameters (or their gradients) of the MLP  x -> Linear -> ReLU -> Linear -> logits. */
export interface MlpByHand {
  /** First layer weights, [inputs, hidden]. */
  w1: NDArray;
  /** First layer bias, [hidden]. */
  b1: NDArray;
  /** Second layer weights, [hidden, classes]. */
  w2: NDArray;
  /** Second layer bias, [classes]. */
  b2: NDArray;
}

/** Layer widths of {@link MlpByHand}, e.g. 784-32-10. */
export interface MlpByHandSizes {
  /** Input features, e.g. 784 for 28x28 images. */
  inputs: number;
  /** Units of the hidden ReLU layer. */
  hidden: number;
  /** Output classes (logits). */
  classes: number;
}

/**
 * Glorot-uniform weights W ~ U(-a, a), a = sqrt(6 / (fanIn + fanOut)) (Glorot & Bengio 2010,
 * https://proceedings.mlr.press/v9/glorot10a.html), and zero biases. The draws are float32
 * values, so tfjs can be given exactly the same weights.
 */
export function initMlpByHand(sizes: MlpByHandSizes, rng: Rng): MlpByHand {
  const glorot = (fanIn: number, fanOut: number, label: string) => {
    const a = Math.sqrt(6 / (fanIn + fanOut));
    return ndarray([fanIn, fanOut], rng.fork(label).uniformArray(fanIn * fanOut, -a, a));
  };
  return {
    w1: glorot(sizes.inputs, sizes.hidden, 'w1'),
    b1: ndarray([sizes.hidden]),
    w2: glorot(sizes.hidden, sizes.classes, 'w2'),
    b2: ndarray([sizes.classes]),
  };
}

/** The logits z = relu(x W1 + b1) W2 + b2 for inputs x [batch, inputs]. */
export function mlpByHandLogits(params: MlpByHand, x: NDArray): NDArray {
  return linearForward(reluForward(linearForward(x, params.w1, params.b1)), params.w2, params.b2);
}

/** Loss, logits and gradients of {@link mlpByHandGradients}. */
export interface MlpByHandStep {
  /** Mean softmax cross-entropy over the batch. */
  loss: number;
  /** Network outputs before the softmax, [batch, classes]. */
  logits: NDArray;
  /** dL/d(parameter) for every parameter, same shapes as the parameters. */
  grads: MlpByHand;
}

/**
 * Mean softmax cross-entropy of the MLP on (x, labels) and its gradient with respect to every
 * parameter: the forward pass, then the chain rule backwards one layer at a time.
 *
 *   a = x W1 + b1,  h = relu(a),  z = h W2 + b2,  L = CE(z, y)
 *   dz = (softmax(z) - onehot(y)) / B
 *   dW2 = h^T dz,  db2 = sum_n dz,  dh = dz W2^T
 *   da = dh * [a > 0]
 *   dW1 = x^T da,  db1 = sum_n da
 */
export function mlpByHandGradients(
  params: MlpByHand,
  x: NDArray,
  labels: ArrayLike<number>,
): MlpByHandStep {
  const a = linearForward(x, params.w1, params.b1);
  const h = reluForward(a);
  const z = linearForward(h, params.w2, params.b2);
  const { loss, probs } = softmaxCrossEntropyForward(z, labels);

  const dz = softmaxCrossEntropyBackward(probs, labels);
  const second = linearBackward(h, params.w2, dz);
  const da = reluBackward(a, second.dx);
  const first = linearBackward(x, params.w1, da);
  return {
    loss,
    logits: z,
    grads: { w1: first.dw, b1: first.db, w2: second.dw, b2: second.db },
  };
}

/** Plain stochastic gradient descent, in place: w <- w - lr * dL/dw for every parameter. */
export function sgdStepByHand(params: MlpByHand, grads: MlpByHand, lr: number): void {
  for (const name of ['w1', 'b1', 'w2', 'b2'] as const) {
    const w = params[name].data;
    const g = grads[name].data;
    for (let i = 0; i < w.length; i++) w[i] = w[i]! - lr * g[i]!;
  }
}

/** Fraction of rows of `logits` [batch, classes] whose largest entry is at the label. */
export function accuracyByHand(logits: NDArray, labels: ArrayLike<number>): number {
  const [batch, classes] = shape2(logits, 'accuracy logits');
  let correct = 0;
  for (let n = 0; n < batch; n++) {
    let best = 0;
    for (let c = 1; c < classes; c++) {
      if (logits.data[n * classes + c]! > logits.data[n * classes + best]!) best = c;
    }
    if (best === labels[n]) correct++;
  }
  return correct / batch;
}

/** Data and settings of {@link trainMlpByHand}. */
export interface TrainMlpByHandArgs {
  /** Inputs, [examples, inputs]. */
  x: NDArray;
  /** Class id per example. */
  labels: ArrayLike<number>;
  /** Examples per step. */
  batchSize: number;
  /** Number of SGD steps (mini-batches). */
  steps: number;
  /** Learning rate of {@link sgdStepByHand}. */
  lr: number;
  /** Shuffles the examples at the start of every pass over them. */
  rng: Rng;
}

/**
 * Mini-batch SGD with no autodiff: each step takes the next `batchSize` examples of a
 * shuffled order, computes the gradients by hand and updates the parameters in place.
 * Returns the loss of every step (on its batch, before its update).
 */
export function trainMlpByHand(params: MlpByHand, args: TrainMlpByHandArgs): number[] {
  const [examples, inputs] = shape2(args.x, 'trainMlpByHand x');
  if (args.batchSize > examples) {
    throw new Error(`trainMlpByHand: batchSize ${args.batchSize} exceeds the ${examples} examples`);
  }
  const losses: number[] = [];
  let order = args.rng.permutation(examples);
  let next = 0;
  for (let step = 0; step < args.steps; step++) {
    if (next + args.batchSize > examples) {
      order = args.rng.permutation(examples); // a new epoch; the short remainder is skipped
      next = 0;
    }
    const xb = ndarray([args.batchSize, inputs]);
    const yb = new Int32Array(args.batchSize);
    for (let k = 0; k < args.batchSize; k++) {
      const e = order[next + k]!;
      xb.data.set(args.x.data.subarray(e * inputs, (e + 1) * inputs), k * inputs);
      yb[k] = args.labels[e]!;
    }
    next += args.batchSize;
    const { loss, grads } = mlpByHandGradients(params, xb, yb);
    sgdStepByHand(params, grads, args.lr);
    losses.push(loss);
  }
  return losses;
}
