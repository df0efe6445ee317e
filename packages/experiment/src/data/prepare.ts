import { type ArrayDataset, type BatchTransform, type Dataset, mapBatches } from '@tunelab/core';
import {
  channelStats,
  compose,
  concatDatasets,
  evaluationSubset,
  greyToRgb,
  normalize,
  randomCrop,
  randomFlip,
  resize,
  type Split,
  splitByRatios,
} from '@tunelab/datasets';
import { type LoadedDataset, openDataset } from '@tunelab/datasets/node';
import type { Experiment } from '../schema/experiment.js';

/** The experiment's data, split and ready for fit. */
export interface PreparedData {
  readonly loaded: LoadedDataset;
  readonly split: Split;
  /** Training examples (after trainLimit), preprocessed. */
  readonly train: Dataset;
  readonly validation: Dataset;
  /** Never used by training or sweeps: only `tunelab eval --split test` reads it. */
  readonly test: Dataset;
  /** A seeded fraction of the training set for periodic training metrics, if asked for. */
  readonly trainSubset?: Dataset;
  /** Random training-time augmentation for fit's `augment`. */
  readonly augment?: BatchTransform;
  /** Shape of one model input after preprocessing. */
  readonly inputShape: readonly number[];
  readonly numClasses: number;
  /** Summary for the run record. */
  readonly record: Record<string, unknown>;
}

/**
 * Opens the dataset, merges its official parts (train then test), splits them with the seed,
 * applies the deterministic preprocessing to every split (normalisation with statistics of the
 * training split, resize, grey-to-RGB) and builds the training-only augmentation.
 */
export function prepareData(experiment: Experiment): PreparedData {
  const { data, seed } = experiment;
  const loaded = openDataset(data.dataset, {
    ...(data.path ? { path: data.path } : {}),
    ...(data.label ? { label: data.label } : {}),
  });
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
    validation: prepare(merged.subset(valIdx)),
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
      ...(stats ? { normalization: stats } : {}),
    },
  };
}
