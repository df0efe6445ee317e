/**
 * Transfer learning with frozen layers: feature extraction vs fine-tuning vs from scratch
 * (USECASES sections 2 and 4).
 *
 * A small CNN is pretrained on the five Fashion-MNIST classes of clothes for the upper body
 * and legs (T-shirt, Trouser, Pullover, Dress, Coat). Its convolutional part is then reused
 * for the other five (Sandal, Shirt, Sneaker, Bag, Ankle boot) with few labelled images:
 *   - feature extraction: the whole backbone frozen under a new head (`withHead`);
 *   - fine-tuning: only the first convolution frozen (`freezeFirst(model, 1)`), the rest
 *     starts from the pretrained weights and keeps learning;
 *   - from scratch: the same network with random weights, as the baseline.
 * Frozen parameters are skipped by the optimizer, so they end exactly where they started.
 *
 *   node --import jiti/register examples/transfer-learning.ts          # 1,000 + 200 images
 *   node --import jiti/register examples/transfer-learning.ts --full   # all ~28,000 + 1,000
 */
import { ArrayDataset, evaluate, fit, type Module, Rng, softmaxCrossEntropy } from '@tunelab/core';
import {
  Conv2D,
  Flatten,
  freezeFirst,
  Linear,
  MaxPool2D,
  Sequential,
  summarize,
  withHead,
} from '@tunelab/layers';
import { adam } from '@tunelab/optimizers';
import { useBackend } from './lib/backend.js';
import { logger, type RunOptions, runWhenMain } from './lib/cli.js';
import { fashionSplit } from './lib/fashion.js';

/** conv 3x3 (1 -> 8) + pool, conv 3x3 (8 -> 16) + pool, flatten: [28, 28, 1] -> 7 * 7 * 16 = 784 features. */
function backbone(seed: number): Sequential {
  const rng = Rng.fromSeed(seed);
  return new Sequential([
    new Conv2D({
      inputChannels: 1,
      filters: 8,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      rng: rng.fork('c1'),
    }),
    new MaxPool2D({ poolSize: 2 }),
    new Conv2D({
      inputChannels: 8,
      filters: 16,
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      rng: rng.fork('c2'),
    }),
    new MaxPool2D({ poolSize: 2 }),
    new Flatten(),
  ]);
}

const head = (seed: number) =>
  new Linear({ inputs: 7 * 7 * 16, outputs: 5, rng: Rng.fromSeed(seed) });

/** The examples of `dataset` whose label is in [from, from + 5), relabelled 0..4. */
function fiveClasses(dataset: ArrayDataset, from: number, limit: number): ArrayDataset {
  const { x, y } = dataset.rawExamples();
  const keep: number[] = [];
  for (let i = 0; i < y.length && keep.length < limit; i++)
    if (y[i]! >= from && y[i]! < from + 5) keep.push(i);
  const size = 28 * 28;
  const xs = new Uint8Array(keep.length * size);
  keep.forEach((i, k) => {
    xs.set(x.subarray(i * size, (i + 1) * size), k * size);
  });
  const ys = Uint8Array.from(keep, (i) => y[i]! - from);
  return new ArrayDataset({
    x: xs,
    y: ys,
    inputShape: [28, 28, 1],
    numClasses: 5,
    scale: dataset.scale,
  });
}

/** Weights of the first convolution, to check that freezing kept them. */
const firstKernel = (model: Module) => model.parameters()[0]!.variable.dataSync().slice();

export async function run(options: RunOptions) {
  const log = logger(options);
  await useBackend('fast');
  const data = fashionSplit();
  const reduced = options.reduced;
  const source = fiveClasses(data.train, 0, reduced ? 1_000 : Number.POSITIVE_INFINITY);
  const target = fiveClasses(data.train, 5, reduced ? 200 : 1_000);
  const targetValidation = fiveClasses(
    data.validation,
    5,
    reduced ? 500 : Number.POSITIVE_INFINITY,
  );
  log(
    `pretrain on ${source.size} images of classes 0-4; transfer to ${target.size} of classes 5-9`,
  );

  const train = (model: Module, dataset: ArrayDataset, epochs: number, seed: number) =>
    fit(model, {
      train: dataset,
      loss: softmaxCrossEntropy,
      optimizer: adam({ lr: 1e-3 }),
      epochs,
      batchSize: 32,
      rng: Rng.fromSeed(seed),
    });

  // 1. Pretrain backbone + head on the source classes.
  const pretrained = new Sequential([backbone(1), head(2)]);
  await train(pretrained, source, reduced ? 2 : 5, 3);
  const sourceAccuracy = (
    await evaluate(pretrained, fiveClasses(data.validation, 0, 500), { loss: softmaxCrossEntropy })
  ).accuracy!;
  log(`pretrained accuracy on classes 0-4: ${sourceAccuracy.toFixed(3)}`);
  const pretrainedBackbone = (pretrained.namedChildren()[0]![1] as Sequential).stateDict();

  // 2. Three ways to learn the target classes.
  const transferEpochs = reduced ? 3 : 10;
  const variants = {
    featureExtraction: () => {
      const features = backbone(9);
      features.loadStateDict(pretrainedBackbone);
      return withHead(features, head(4)); // backbone frozen
    },
    fineTuning: () => {
      const features = backbone(9);
      features.loadStateDict(pretrainedBackbone);
      const model = withHead(features, head(4), { freezeBackbone: false });
      freezeFirst(model, 1); // only the first convolution stays as pretrained
      return model;
    },
    fromScratch: () => new Sequential([backbone(5), head(4)]),
  };
  const results: Record<
    string,
    { trainable: number; frozen: number; accuracy: number; firstConvChange: number }
  > = {};
  for (const [name, make] of Object.entries(variants)) {
    const model = make();
    const { totals } = summarize(model, [28, 28, 1]);
    const before = firstKernel(model);
    await train(model, target, transferEpochs, 6);
    const after = firstKernel(model);
    const accuracy = (await evaluate(model, targetValidation, { loss: softmaxCrossEntropy }))
      .accuracy!;
    const firstConvChange = Math.max(...before.map((v, i) => Math.abs(v - after[i]!)));
    results[name] = {
      trainable: totals.trainableParams,
      frozen: totals.frozenParams,
      accuracy,
      firstConvChange,
    };
    log(
      `${name.padEnd(17)} trainable ${totals.trainableParams}, frozen ${totals.frozenParams}: accuracy on classes 5-9 ${accuracy.toFixed(3)}, first conv moved ${firstConvChange.toExponential(1)}`,
    );
    model.dispose();
  }
  pretrained.dispose();
  return { sizes: [source.size, target.size, targetValidation.size], sourceAccuracy, results };
}

runWhenMain(import.meta.url, run);
