import { type ArrayDataset, type BatchTransform, type Dataset, mapBatches } from '@tunelab/core';
import {
  channelStats,
  compose,
  concatDatasets,
  evaluationSubset,
  greyToRgb,
  normalize,
  pad,
  randomCrop,
  randomFlip,
  resize,
  type Split,
  splitByRatios,
} from '@tunelab/datasets';
import type { Experiment } from '../schema/experiment.js';

/**
 * The dataset an experiment names, loaded: its official parts and where they came from.
 * Node reads it from disk (openExperimentData in ./node); the browser from the files the
 * server offers or the user drops. `LoadedDataset` of @tunelab/datasets/node is one.
 */
export interface ExperimentData {
  /** Short name ('fashion-mnist'). */
  readonly name: string;
  /** Display name ('Fashion-MNIST'). */
  readonly title: string;
  /** How it was found: 'system', 'cache', 'explicit', 'server' (the browser) ... */
  readonly source: string;
  /** The folder, file or URL it was read from. */
  readonly location: string;
  /** Official parts by name (train, test), merged in that order before the split. */
  readonly parts: Readonly<Record<string, ArrayDataset>>;
  /** Class names by label. */
  readonly classes: readonly string[];
  /** Official files absent from the folder (read with data.allowPartial); empty or absent otherwise. */
  readonly missing?: readonly string[];
}

/** The experiment's data, split and ready for fit. */
export interface PreparedData {
  /** The dataset as loaded. */
  readonly loaded: ExperimentData;
  /** The seeded split of the merged parts. */
  readonly split: Split;
  /** Training examples (after trainLimit), preprocessed. */
  readonly train: Dataset;
  /** Validation examples (after validationLimit), preprocessed. */
  readonly validation: Dataset;
  /** Never used by training or sweeps: only `tunelab eval --split test` reads it. */
  readonly test: Dataset;
  /** A seeded fraction of the training set for periodic training metrics, if asked for. */
  readonly trainSubset?: Dataset;
  /** Random training-time augmentation for fit's `augment`. */
  readonly augment?: BatchTransform;
  /** Shape of one model input after preprocessing. */
  readonly inputShape: readonly number[];
  /** Number of classes. */
  readonly numClasses: number;
  /** Summary for the run record. */
  readonly record: Record<string, unknown>;
}

/**
 * Merges the dataset's official parts (train then test), splits them with the seed, applies
 * the deterministic preprocessing to every split (normalisation with statistics of the
 * training split, padding, resize, grey-to-RGB) and builds the training-only augmentation.
 * The same in Node and in the browser, so the same experiment sees the same examples.
 */
export function prepareData(experiment: Experiment, loaded: ExperimentData): PreparedData {
  const { data, seed } = experiment;
  const merged = concatDatasets(Object.values(loaded.parts));
  const split = splitByRatios(merged.size, {
    seed,
    ratios: data.split,
    ...(data.stratify ? { stratifyBy: merged.labels() } : {}),
  });
  const [trainIdx, valIdx, testIdx] = split.parts as [Int32Array, Int32Array, Int32Array];
  let trainRaw: ArrayDataset = merged.subset(trainIdx);
  if (experiment.trainLimit !== undefined) trainRaw = trainRaw.take(experiment.trainLimit);

  const steps: BatchTransform[] = [];
  let inputShape = [...merged.inputShape];
  let stats: ReturnType<typeof channelStats> | undefined;
  if (data.normalize) {
    stats = channelStats(trainRaw);
    steps.push(normalize(stats));
  }
  if (data.pad) {
    steps.push(pad(data.pad));
    inputShape = [inputShape[0]! + 2 * data.pad, inputShape[1]! + 2 * data.pad, inputShape[2]!];
  }
  if (data.resize) {
    steps.push(resize(data.resize[0], data.resize[1]));
    inputShape = [data.resize[0], data.resize[1], inputShape[2]!];
  }
  if (data.greyToRgb) {
    steps.push(greyToRgb());
    inputShape = [inputShape[0]!, inputShape[1]!, 3];
  }
  const prepare = (d: ArrayDataset): Dataset =>
    steps.length ? mapBatches(d, compose(...steps), inputShape) : d;

  const augmentSteps: BatchTransform[] = [];
  if (data.augment?.crop)
    augmentSteps.push(
      randomCrop({ size: data.augment.crop.size, padding: data.augment.crop.padding }),
    );
  if (data.augment?.flip !== undefined) augmentSteps.push(randomFlip({ p: data.augment.flip }));

  const fraction = experiment.evaluation?.everySamples
    ? experiment.evaluation.trainFraction
    : undefined;
  const trainSubset = fraction
    ? prepare(trainRaw.subset(evaluationSubset(trainRaw.size, fraction, seed)))
    : undefined;
  return {
    loaded,
    split,
    train: prepare(trainRaw),
    validation: prepare(
      experiment.validationLimit !== undefined
        ? merged.subset(valIdx).take(experiment.validationLimit)
        : merged.subset(valIdx),
    ),
    test: prepare(merged.subset(testIdx)),
    ...(trainSubset ? { trainSubset } : {}),
    ...(augmentSteps.length ? { augment: compose(...augmentSteps) } : {}),
    inputShape,
    numClasses: merged.numClasses,
    record: {
      dataset: loaded.name,
      title: loaded.title,
      source: loaded.source,
      location: loaded.location,
      classes: loaded.classes,
      inputShape,
      split: {
        seed,
        ratios: split.ratios,
        names: split.names,
        sizes: split.sizes,
        stratified: split.stratified,
        fingerprint: split.fingerprint,
      },
      trainExamples: trainRaw.size,
      ...(experiment.trainLimit !== undefined ? { trainLimit: experiment.trainLimit } : {}),
      ...(loaded.missing?.length ? { missing: loaded.missing } : {}),
      ...(experiment.validationLimit !== undefined
        ? { validationExamples: Math.min(experiment.validationLimit, valIdx.length) }
        : {}),
      ...(stats ? { normalization: stats } : {}),
    },
  };
}
