/**
 * Stochastic gradient descent written by hand, against the library optimizer (USECASES
 * section 3, "Optimisation").
 *
 * SGD is w <- w - lr * dL/dw. Part 1 does it for a line fitted to three points, with the
 * gradient worked out on paper; part 2 for softmax regression on Fashion-MNIST, with the
 * gradient (softmax(z) - onehot(y)) x / batch in plain loops. Each runs next to the library:
 * tfjs autodiff (tf.variableGrads) and `sgd` from @tunelab/optimizers on the same batches,
 * and the weights stay equal up to float32 rounding.
 *
 *   node --import jiti/register examples/sgd-by-hand.ts          # 3 batches of 32
 *   node --import jiti/register examples/sgd-by-hand.ts --full   # one epoch of 56,000 images
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  accuracy,
  batchIndices,
  evaluate,
  meanSquaredError,
  Parameter,
  Rng,
  softmaxCrossEntropy,
} from '@tunelab/core';
import { Flatten, Linear, Sequential } from '@tunelab/layers';
import { sgd } from '@tunelab/optimizers';
import { useBackend } from './lib/backend.js';
import { logger, type RunOptions, runWhenMain } from './lib/cli.js';
import { fashionSplit } from './lib/fashion.js';

/** Part 1: y = w x + b on (1, 3), (2, 5), (3, 7) with L = mean (w x + b - y)^2, from w = b = 0. */
function lineByHand(steps: number, lr: number): { w: number; b: number } {
  const xs = [1, 2, 3];
  const ys = [3, 5, 7];
  let w = 0;
  let b = 0;
  for (let step = 0; step < steps; step++) {
    // dL/dw = (2/n) sum (w x + b - y) x,  dL/db = (2/n) sum (w x + b - y)
    let gw = 0;
    let gb = 0;
    for (let i = 0; i < 3; i++) {
      const r = w * xs[i]! + b - ys[i]!;
      gw += (2 / 3) * r * xs[i]!;
      gb += (2 / 3) * r;
    }
    w -= lr * gw;
    b -= lr * gb;
  }
  return { w, b };
}

/** The same line with tfjs autodiff and the library's sgd. */
function lineByLibrary(steps: number, lr: number): { w: number; b: number } {
  const w = new Parameter(tf.scalar(0));
  const b = new Parameter(tf.scalar(0));
  const x = tf.tensor1d([1, 2, 3]);
  const y = tf.tensor1d([3, 5, 7]);
  const optimizer = sgd({ lr });
  for (let step = 0; step < steps; step++) {
    const { grads, value } = tf.variableGrads(() =>
      meanSquaredError(tf.add(tf.mul(w.variable, x), b.variable), y),
    );
    optimizer.applyGradients([
      [w, grads[w.variable.name]!],
      [b, grads[b.variable.name]!],
    ]);
    tf.dispose([value, ...Object.values(grads)]);
  }
  const result = { w: w.variable.dataSync()[0]!, b: b.variable.dataSync()[0]! };
  tf.dispose([w.variable, b.variable, x, y]);
  optimizer.dispose();
  return result;
}

/**
 * One SGD step of softmax regression by hand: logits z = x W + c, p = softmax(z), and for the
 * mean cross-entropy dL/dW = x^T (p - onehot(y)) / B, dL/dc = sum_rows (p - onehot(y)) / B.
 */
function softmaxStepByHand(
  weight: Float64Array,
  bias: Float64Array,
  x: Float32Array,
  labels: Int32Array,
  inputs: number,
  classes: number,
  lr: number,
): void {
  const batch = labels.length;
  const gradW = new Float64Array(weight.length);
  const gradB = new Float64Array(classes);
  const z = new Float64Array(classes);
  for (let n = 0; n < batch; n++) {
    for (let o = 0; o < classes; o++) {
      let sum = bias[o]!;
      for (let i = 0; i < inputs; i++) sum += x[n * inputs + i]! * weight[i * classes + o]!;
      z[o] = sum;
    }
    const max = Math.max(...z); // subtracted before exp: same softmax, no overflow
    let total = 0;
    for (let o = 0; o < classes; o++) total += Math.exp(z[o]! - max);
    for (let o = 0; o < classes; o++) {
      const d = (Math.exp(z[o]! - max) / total - (labels[n] === o ? 1 : 0)) / batch;
      gradB[o]! += d;
      for (let i = 0; i < inputs; i++) gradW[i * classes + o]! += x[n * inputs + i]! * d;
    }
  }
  for (let j = 0; j < weight.length; j++) weight[j]! -= lr * gradW[j]!;
  for (let o = 0; o < classes; o++) bias[o]! -= lr * gradB[o]!;
}

export async function run(options: RunOptions) {
  const log = logger(options);
  await useBackend('exact');

  // Part 1. One step by hand, from w = b = 0 (all predictions 0, residuals -3, -5, -7):
  // dL/dw = (2/3)(-3 - 10 - 21) = -68/3, dL/db = (2/3)(-15) = -10; with lr = 0.01,
  // w = 0.68/3 = 0.22667 and b = 0.1.
  const lr = 0.01;
  const oneStep = lineByHand(1, lr);
  const oneStepLibrary = lineByLibrary(1, lr);
  const steps = options.reduced ? 200 : 5000;
  const trained = lineByHand(steps, lr);
  const trainedLibrary = lineByLibrary(steps, lr);
  log(
    `line, 1 step: by hand w = ${oneStep.w.toFixed(5)}, b = ${oneStep.b.toFixed(5)}; library w = ${oneStepLibrary.w.toFixed(5)}, b = ${oneStepLibrary.b.toFixed(5)}`,
  );
  log(
    `line, ${steps} steps: by hand w = ${trained.w.toFixed(5)}, b = ${trained.b.toFixed(5)}; library w = ${trainedLibrary.w.toFixed(5)}, b = ${trainedLibrary.b.toFixed(5)} (truth: 2, 1)`,
  );

  // Part 2. Softmax regression on Fashion-MNIST: the same initial weights and batches.
  const data = fashionSplit({ limit: options.reduced ? { train: 96, eval: 500 } : undefined });
  const inputs = 28 * 28;
  const classes = 10;
  const batchSize = 32;
  const softmaxLr = 0.1;
  const layer = new Linear({ inputs, outputs: classes, rng: Rng.fromSeed(1) });
  const model = new Sequential([new Flatten(), layer]);
  const weight = Float64Array.from(layer.weight.variable.dataSync());
  const bias = Float64Array.from(layer.bias!.variable.dataSync());
  const optimizer = sgd({ lr: softmaxLr });
  let updates = 0;
  for (const indices of batchIndices(data.train.size, batchSize, { rng: Rng.fromSeed(2) })) {
    const batch = data.train.batch(indices);
    // [32, 28, 28, 1] images read row by row are the flattened [32, 784] rows.
    const x = batch.x.dataSync() as Float32Array;
    softmaxStepByHand(
      weight,
      bias,
      x,
      batch.y.dataSync() as Int32Array,
      inputs,
      classes,
      softmaxLr,
    );
    const { grads, value } = tf.variableGrads(() =>
      softmaxCrossEntropy(model.forward(batch.x), batch.y),
    );
    optimizer.applyGradients([
      [layer.weight, grads[layer.weight.variable.name]!],
      [layer.bias!, grads[layer.bias!.variable.name]!],
    ]);
    tf.dispose([batch.x, batch.y, value, ...Object.values(grads)]);
    updates++;
  }
  const libraryWeight = layer.weight.variable.dataSync();
  let weightDifference = 0;
  for (let j = 0; j < weight.length; j++) {
    weightDifference = Math.max(weightDifference, Math.abs(weight[j]! - libraryWeight[j]!));
  }
  const metrics = await evaluate(model, data.validation, {
    loss: softmaxCrossEntropy,
    metrics: [accuracy()],
  });
  log(
    `softmax regression, ${updates} updates of ${batchSize}: largest weight difference by hand vs library ${weightDifference.toExponential(1)}`,
  );
  log(
    `validation accuracy of the library model on ${data.validation.size} images: ${(metrics.accuracy! * 100).toFixed(1)}%`,
  );
  model.dispose();
  optimizer.dispose();

  return {
    oneStep,
    oneStepLibrary,
    steps,
    trained,
    trainedLibrary,
    updates,
    weightDifference,
    validationAccuracy: metrics.accuracy!,
  };
}

runWhenMain(import.meta.url, run);
