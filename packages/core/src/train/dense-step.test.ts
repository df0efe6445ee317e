import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArrayDataset } from '../data/dataset.js';
import { setUpBackends } from '../kernels/compare-with-cpu.js';
import { DenseStepKernel } from '../kernels/dense-step.js';
import { setSimdKernelsEnabled } from '../kernels/simd-kernels.js';
import type { DenseChainLink } from '../module/dense-chain.js';
import { Module } from '../module/module.js';
import type { Parameter } from '../module/parameter.js';
import { Rng } from '../random/rng.js';
import { fit } from './fit.js';
import { softmaxCrossEntropy } from './loss.js';
import type { GradientPair, Optimizer, OptimizerState } from './optimizer.js';

// fit runs a model that is a dense chain (Module.denseChain) as one TunelabDenseStep kernel per
// step on wasm. Checked against the same fit with the SIMD kernels off (tfjs differentiating
// the model's ops on wasm): the same weights and metrics to float32 rounding.
beforeAll(setUpBackends);
afterAll(() => setSimdKernelsEnabled(true));

/** y = x W + b (relu or not), reporting itself as a dense link; optionally a separate relu. */
class Dense extends Module {
  readonly type = 'Dense';
  readonly weight: Parameter;
  readonly bias: Parameter;
  constructor(
    rng: Rng,
    inputs: number,
    outputs: number,
    readonly activation: 'relu' | 'linear',
  ) {
    super();
    const w = rng.normalArray(inputs * outputs, 0, 1 / Math.sqrt(inputs));
    this.weight = this.addParameter('weight', tf.tensor2d(w, [inputs, outputs]));
    this.bias = this.addParameter('bias', tf.tensor1d(rng.normalArray(outputs, 0, 0.1)));
  }
  forward(x: tf.Tensor): tf.Tensor {
    const y = tf.add(tf.matMul(x as tf.Tensor2D, this.weight.variable), this.bias.variable);
    return this.activation === 'relu' ? tf.relu(y) : y;
  }
  override denseChain(): DenseChainLink[] {
    const { weight, bias, activation } = this;
    return [{ kind: 'dense', weight, bias, activation }];
  }
}

/** Flatten, then Dense layers, with `separateRelu` a relu module after the first. */
class Chain extends Module {
  readonly type = 'Chain';
  readonly layers: Dense[];
  constructor(seed: number, widths: number[], separateRelu = false) {
    super();
    const rng = Rng.fromSeed(seed);
    this.layers = widths.slice(1).map((out, i) => {
      const relu = i < widths.length - 2 && !(separateRelu && i === 0);
      return this.addModule(`fc${i}`, new Dense(rng, widths[i]!, out, relu ? 'relu' : 'linear'));
    });
    this.separateRelu = separateRelu;
  }
  readonly separateRelu: boolean;
  forward(x: tf.Tensor): tf.Tensor {
    let h = tf.reshape(x, [x.shape[0]!, -1]);
    this.layers.forEach((layer, i) => {
      h = layer.forward(h);
      if (i === 0 && this.separateRelu) h = tf.relu(h);
    });
    return h;
  }
  override denseChain(): DenseChainLink[] {
    const links: DenseChainLink[] = [{ kind: 'flatten' }];
    this.layers.forEach((layer, i) => {
      links.push(...layer.denseChain());
      if (i === 0 && this.separateRelu) links.push({ kind: 'relu' });
    });
    return links;
  }
}

function plainSgd(learningRate: number): Optimizer {
  let iterations = 0;
  return {
    name: 'sgd',
    learningRate,
    get iterations() {
      return iterations;
    },
    applyGradients(gradients: readonly GradientPair[], lr = learningRate) {
      tf.tidy(() => {
        for (const [p, g] of gradients)
          if (p.trainable) p.variable.assign(tf.sub(p.variable, tf.mul(g, lr)));
      });
      iterations++;
    },
    config: () => ({ lr: learningRate }),
    getState: (): OptimizerState => ({ iterations, slots: new Map() }),
    setState: () => {},
    dispose: () => {},
  };
}

function images(seed: number, n: number): ArrayDataset {
  const rng = Rng.fromSeed(seed);
  const x = Uint8Array.from({ length: n * 12 }, () => rng.int(256));
  const y = Uint8Array.from({ length: n }, () => rng.int(5));
  return new ArrayDataset({ x, y, inputShape: [2, 3, 2], numClasses: 5, scale: 1 / 255 });
}

async function train(simd: boolean, model: Chain, freezeFirst = false) {
  setSimdKernelsEnabled(simd);
  if (freezeFirst) model.layers[0]!.freeze();
  const tensors: number[] = [];
  const run = () =>
    fit(model, {
      train: images(1, 45),
      loss: softmaxCrossEntropy,
      optimizer: plainSgd(0.5),
      epochs: 3,
      batchSize: 10,
      rng: Rng.fromSeed(2),
      callbacks: [{ onEpochEnd: () => void tensors.push(tf.memory().numTensors) }],
    });
  const info = await tf.profile(async () => {
    await run();
    return [];
  });
  const weights = model.parameters().map((p) => Array.from(p.variable.dataSync()));
  return { history: await run(), weights, kernels: info.kernelNames, tensors };
}

function maxDifference(a: number[][], b: number[][]): number {
  let worst = 0;
  for (const [i, row] of a.entries())
    for (const [j, v] of row.entries()) worst = Math.max(worst, Math.abs(v - b[i]![j]!));
  return worst;
}

describe('fit with a dense chain on wasm', () => {
  it.each([false, true])(
    'one kernel per step, the weights of the tfjs ops (separate relu module: %s)',
    async (separateRelu) => {
      const fused = await train(true, new Chain(3, [12, 9, 6, 5], separateRelu));
      const plain = await train(false, new Chain(3, [12, 9, 6, 5], separateRelu));
      expect(fused.kernels).toContain(DenseStepKernel);
      expect(fused.kernels).not.toContain(tf._FusedMatMul);
      expect(fused.kernels).not.toContain(tf.BatchMatMul);
      expect(plain.kernels).not.toContain(DenseStepKernel);
      // 3 epochs of 5 steps from the same weights: float32 rounding apart only.
      expect(maxDifference(fused.weights, plain.weights)).toBeLessThan(1e-5);
      const last = (h: typeof fused.history) => h.epochs.at(-1)!.metrics;
      expect(last(fused.history).trainLoss).toBeCloseTo(last(plain.history).trainLoss!, 5);
      expect(fused.tensors[0]).toBe(fused.tensors.at(-1));
    },
  );

  it('leaves a frozen layer as it was and still trains the rest', async () => {
    const model = new Chain(4, [12, 7, 5]);
    const before = model.parameters().map((p) => Array.from(p.variable.dataSync()));
    const fused = await train(true, model, true);
    expect(fused.kernels).toContain(DenseStepKernel);
    expect(fused.weights[0]).toEqual(before[0]);
    expect(fused.weights[1]).toEqual(before[1]);
    expect(maxDifference([fused.weights[2]!], [before[2]!])).toBeGreaterThan(1e-3);
    const plain = await train(false, new Chain(4, [12, 7, 5]), true);
    expect(maxDifference(fused.weights, plain.weights)).toBeLessThan(1e-5);
  });

  it('differentiates the ops when the loss is another', async () => {
    setSimdKernelsEnabled(true);
    const model = new Chain(5, [12, 5]);
    const info = await tf.profile(async () => {
      await fit(model, {
        train: images(1, 20),
        loss: (z, y) => softmaxCrossEntropy(z, y, 'sum'),
        optimizer: plainSgd(0.1),
        epochs: 1,
        batchSize: 10,
        rng: Rng.fromSeed(2),
      });
      return [];
    });
    expect(info.kernelNames).not.toContain(DenseStepKernel);
  });
});
