import * as tf from '@tensorflow/tfjs-core';
import { type Module, Rng, softmaxCrossEntropy } from '@tunelab/core';

/** A fixed batch of normal inputs and labels 0, 1, 2 ... for training checks. */
export function fixedBatch(
  inputShape: readonly number[],
  size: number,
  classes: number,
  seed = 1,
): { x: tf.Tensor; labels: tf.Tensor1D } {
  const n = size * inputShape.reduce((a, b) => a * b, 1);
  return {
    x: tf.tensor(Rng.fromSeed(seed).normalArray(n), [size, ...inputShape]),
    labels: tf.tensor1d(
      Array.from({ length: size }, (_, i) => i % classes),
      'int32',
    ),
  };
}

/**
 * Plain gradient descent on one batch, in training mode: returns the softmax cross-entropy
 * before each of `steps` updates and after the last (steps + 1 values), and the shape of the
 * model's output. Only trainable parameters move: w <- w - lr * dL/dw.
 */
export function trainSteps(
  model: Module,
  batch: { x: tf.Tensor; labels: tf.Tensor1D },
  steps: number,
  learningRate: number,
): { losses: number[]; outputShape: number[] } {
  model.train();
  const variables = model.trainableParameters().map((p) => p.variable);
  const losses: number[] = [];
  let outputShape: number[] = [];
  for (let step = 0; step < steps; step++) {
    const { value, grads } = tf.variableGrads(() => {
      const out = model.forward(batch.x);
      outputShape = out.shape;
      return softmaxCrossEntropy(out, batch.labels);
    }, variables);
    losses.push(value.dataSync()[0]!);
    tf.tidy(() => {
      for (const v of variables) v.assign(tf.sub(v, tf.mul(grads[v.name]!, learningRate)));
    });
    tf.dispose([value, ...Object.values(grads)]);
  }
  losses.push(
    tf.tidy(() => softmaxCrossEntropy(model.forward(batch.x), batch.labels).dataSync()[0]!),
  );
  return { losses, outputShape };
}
