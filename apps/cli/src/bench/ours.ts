import * as tf from '@tensorflow/tfjs-core';
import { ArrayDataset, fit, Rng, softmaxCrossEntropy } from '@tunelab/core';
import { modelRef } from '@tunelab/experiment';
import { autoReplicaCount, modelCost, startModelReplicas } from '@tunelab/experiment/node';
import { buildZooModel } from '@tunelab/layers';
import { sgd } from '@tunelab/optimizers';
import { replicaWorkerUrl } from '../train/workers.js';
import { stepsFor, type Timing, WARM_UP_SECONDS, warmUp } from './timing.js';
import type { Workload } from './workloads.js';

/** Random uint8 images and labels, as a dataset of `n` examples (the data is in memory, as in BENCHMARKS.md). */
export function syntheticData(w: Workload, n: number, seed = 0): ArrayDataset {
  const rng = Rng.fromSeed(seed);
  const size = w.inputShape.reduce((a, b) => a * b, 1);
  const x = new Uint8Array(n * size);
  for (let i = 0; i < x.length; i++) x[i] = rng.nextUint32() & 255;
  const y = Uint8Array.from({ length: n }, () => rng.int(10));
  return new ArrayDataset({ x, y, inputShape: w.inputShape, numClasses: 10, scale: 1 / 255 });
}

/**
 * Samples/s of tunelab's own training loop: the zoo model of the workload, our SGD, core's fit
 * (batches built from uint8 typed arrays, metrics read once per 50 batches), no validation,
 * with `workers` replica threads (data parallel; 'auto' as `tunelab train` picks them).
 * Times two epochs after a warm-up and records the tensors alive after each.
 */
export async function timeOurLoop(
  w: Workload,
  seconds: number,
  options: { batch?: number; workers?: number | 'auto'; backend: string },
): Promise<Timing> {
  const batch = options.batch ?? w.batch;
  const model = buildZooModel(w.id, { inputShape: w.inputShape, classes: 10, seed: 0 });
  const workers =
    options.workers === undefined || options.workers === 'auto'
      ? autoReplicaCount(options.backend, modelCost(model, w.inputShape))
      : options.workers;
  const replicas =
    workers > 0
      ? await startModelReplicas(
          model,
          modelRef({ name: w.id }, { inputShape: w.inputShape, classes: 10 })!,
          options.backend,
          workers,
          replicaWorkerUrl(),
        )
      : undefined;
  const optimizer = sgd({
    lr: w.lr,
    ...(w.momentum ? { momentum: w.momentum } : {}),
    ...(w.weightDecay ? { weightDecay: w.weightDecay } : {}),
  });
  const rng = Rng.fromSeed(1);
  const base = {
    loss: softmaxCrossEntropy,
    optimizer,
    batchSize: batch,
    rng,
    logEvery: 50,
    replicas,
  };
  try {
    await warmUp(
      async (steps) => {
        const train = syntheticData(w, steps * batch, 4);
        const t0 = performance.now();
        await fit(model, { ...base, train, epochs: 1 });
        return (performance.now() - t0) / 1000;
      },
      WARM_UP_SECONDS,
      w.id === 'resnet18' ? 1 : 10,
    );
    const probeSteps = w.id === 'resnet18' ? 1 : 5;
    // Data is made before each timer starts (as for tfjs-layers): only training is timed.
    const probe = syntheticData(w, probeSteps * batch, 2);
    let t = performance.now();
    await fit(model, { ...base, train: probe, epochs: 1 });
    const perEpoch = Math.ceil(
      stepsFor((performance.now() - t) / 1000, probeSteps, seconds, 2) / 2,
    );
    const tensorsAfterEpoch: number[] = [];
    const train = syntheticData(w, perEpoch * batch, 3);
    t = performance.now();
    await fit(model, {
      ...base,
      train,
      epochs: 2,
      callbacks: [{ onEpochEnd: () => void tensorsAfterEpoch.push(tf.memory().numTensors) }],
    });
    const elapsed = (performance.now() - t) / 1000;
    return {
      samplesPerSecond: (2 * perEpoch * batch) / elapsed,
      steps: 2 * perEpoch,
      seconds: elapsed,
      batch,
      workers,
      tensorsAfterEpoch,
    };
  } finally {
    await replicas?.close();
    model.dispose();
    optimizer.dispose();
  }
}
