import * as tf from '@tensorflow/tfjs-core';
import type { Batch } from '../data/dataset.js';
import type { Module } from '../module/module.js';
import { tensorValues } from '../ops/tensor-values.js';
import type { LossFn } from './loss.js';
import {
  type GradientReplicas,
  type ReplicaResult,
  type ReplicaShare,
  shareSizes,
} from './replicas.js';
import { forwardBackward, type StepResult, type TrainableSet, type TrainingStep } from './step.js';

/**
 * Data parallelism: each batch is split into `replicas.count + 1` shares, the replicas compute
 * the gradients of all but the first (sent out first), this thread computes the first
 * meanwhile, and the gradients, losses and outputs are combined with weights n_i / n, which
 * is the gradient of the batch mean for a loss that is a mean over examples. A batch of one
 * example stays on this thread.
 */
export function dataParallelStep(
  model: Module,
  loss: LossFn,
  replicas: GradientReplicas,
): TrainingStep {
  return (batch, trainable) =>
    batch.size > 1
      ? parallelStep(model, trainable, loss, batch, replicas)
      : forwardBackward(model, trainable.variables, loss, batch.x, batch.y);
}

async function parallelStep(
  model: Module,
  { variables, indexOf }: TrainableSet,
  loss: LossFn,
  batch: Batch,
  replicas: GradientReplicas,
): Promise<StepResult> {
  const n = batch.size;
  const sizes = shareSizes(n, replicas.count + 1).filter((s) => s > 0);
  const xs = tf.split(batch.x, sizes);
  const ys = tf.split(batch.y, sizes);
  const shares: ReplicaShare[] = xs.slice(1).map((x, i) => ({ x, y: ys[i + 1]! }));
  replicas.send(model, shares);
  let local: StepResult;
  try {
    local = forwardBackward(model, variables, loss, xs[0]!, ys[0]!);
  } finally {
    tf.dispose([...xs, ...ys]);
  }
  let results: ReplicaResult[];
  try {
    results = await replicas.receive();
    for (const [k, r] of results.entries())
      for (const name of Object.keys(local.grads))
        if (!r.grads.has(indexOf.get(name)!))
          throw new Error(`replica ${k + 1} sent no gradient for "${name}"`);
  } catch (error) {
    tf.dispose([local.value, local.outputs, ...Object.values(local.grads)]);
    throw error;
  }
  const w0 = sizes[0]! / n;
  const grads: tf.NamedTensorMap = {};
  for (const [name, g] of Object.entries(local.grads)) {
    const i = indexOf.get(name)!;
    const own = tensorValues(g);
    const sum = new Float32Array(own.length);
    for (let j = 0; j < sum.length; j++) sum[j] = own[j]! * w0;
    for (let k = 0; k < results.length; k++) {
      const remote = results[k]!.grads.get(i)!;
      const w = sizes[k + 1]! / n;
      for (let j = 0; j < sum.length; j++) sum[j]! += remote[j]! * w;
    }
    grads[name] = tf.tensor(sum, g.shape, 'float32');
    g.dispose();
  }
  const remoteLoss = results.reduce((acc, r, k) => acc + r.loss * (sizes[k + 1]! / n), 0);
  const value = tf.tidy(() => tf.add(tf.mul(local.value, w0), remoteLoss) as tf.Scalar);
  const outputs = tf.tidy(() =>
    tf.concat([
      local.outputs,
      ...results.map((r) => tf.tensor(r.outputs, r.outputsShape as number[], 'float32')),
    ]),
  );
  tf.dispose([local.value, local.outputs]);
  return { value, outputs, grads };
}
