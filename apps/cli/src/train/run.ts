import { resolve } from 'node:path';
import { type BackendSelection, fit, type History, Rng, softmaxCrossEntropy } from '@tunelab/core';
import { describeEnvironment, RunWriter, readRun, recordRun } from '@tunelab/core/node';
import { concatDatasets, splitByRatios } from '@tunelab/datasets';
import { loadDataset } from '@tunelab/datasets/node';
import { saveWeights } from '@tunelab/layers';
import { learningCurveImages } from '@tunelab/reports/node';
import type { Experiment } from '../experiment/schema.js';
import { VERSION } from '../version.js';
import { buildModel, buildOptimizer } from './build.js';
import { progressCallback } from './progress.js';

/** Where output goes and what was asked for on the command line. */
export interface TrainContext {
  /** Folder that receives the run directory. */
  outDir: string;
  /** The experiment file, recorded in the run. */
  file: string;
  selection: BackendSelection;
  /** Human-readable lines (epoch lines, summary). */
  print: (line: string) => void;
  /** Stream for the progress bar, and whether to draw one. */
  progress: { stream: NodeJS.WriteStream; bar: boolean };
  signal?: AbortSignal;
}

/** What a finished (or interrupted) training run produced. */
export interface TrainResult {
  runDir: string;
  runId: string;
  status: string;
  backend: string;
  epochs: number;
  final: {
    trainLoss: number | null;
    trainAccuracy: number | null;
    valLoss: number | null;
    valAccuracy: number | null;
  };
  best?: { metric: string; value: number; epoch: number } | undefined;
  history: History;
  artifacts: string[];
  split: {
    sizes: { train: number; validation: number; test: number };
    fingerprint: string;
    seed: number;
  };
}

/**
 * Runs one experiment end to end: locate and load the data, merge the official parts, split
 * with the seed, train with per-epoch validation, and write the run directory with the
 * metrics, a learning curve (SVG and PNG) and the final weights. The test split is never
 * evaluated here.
 */
export async function trainExperiment(
  experiment: Experiment,
  ctx: TrainContext,
): Promise<TrainResult> {
  const seed = experiment.seed;
  const root = Rng.fromSeed(seed);

  const loaded = loadDataset(experiment.data.dataset, { path: experiment.data.path });
  const merged = concatDatasets(Object.values(loaded.parts));
  const split = splitByRatios(merged.size, { seed, ratios: experiment.data.split });
  const [trainIdx, valIdx, testIdx] = split.parts as [Int32Array, Int32Array, Int32Array];
  let train = merged.subset(trainIdx);
  if (experiment.trainLimit !== undefined) train = train.take(experiment.trainLimit);
  const validation = merged.subset(valIdx);
  ctx.print(
    `data: ${loaded.title} from ${loaded.location} (${loaded.source}); ${merged.size.toLocaleString('en-US')} examples split ` +
      `${split.sizes.map((n: number) => n.toLocaleString('en-US')).join(' / ')} (seed ${seed}, fingerprint ${split.fingerprint})` +
      (experiment.trainLimit !== undefined
        ? `; training on the first ${train.size.toLocaleString('en-US')}`
        : ''),
  );

  const model = buildModel(
    experiment.model,
    merged.inputShape,
    merged.numClasses,
    root.fork('init'),
  );
  const optimizer = buildOptimizer(experiment.optimizer);
  const writer = RunWriter.create(ctx.outDir, {
    name: experiment.name,
    config: { ...experiment, file: ctx.file },
    seed,
    epochs: experiment.epochs,
    environment: describeEnvironment(ctx.selection, { tunelab: VERSION }),
    data: {
      dataset: loaded.name,
      title: loaded.title,
      source: loaded.source,
      location: loaded.location,
      classes: loaded.classes,
      inputShape: merged.inputShape,
      split: {
        seed,
        ratios: split.ratios,
        names: split.names,
        sizes: split.sizes,
        fingerprint: split.fingerprint,
      },
      trainExamples: train.size,
      ...(experiment.trainLimit !== undefined ? { trainLimit: experiment.trainLimit } : {}),
    },
  });
  ctx.print(`run: ${writer.dir}`);
  ctx.print(
    `model: ${experiment.model.name}, ${model.parameterCount().toLocaleString('en-US')} parameters; optimizer: ${optimizer.name} lr ${optimizer.learningRate}; ${experiment.epochs} epochs at batch ${experiment.batchSize}`,
  );

  let history: History;
  try {
    history = await fit(model, {
      train,
      validation,
      loss: softmaxCrossEntropy,
      optimizer,
      epochs: experiment.epochs,
      batchSize: experiment.batchSize,
      rng: root.fork('batches'),
      signal: ctx.signal,
      callbacks: [recordRun(writer), progressCallback({ ...ctx.progress, print: ctx.print })],
    });
  } catch (error) {
    writer.finish('failed', {
      error: { message: (error as Error).message, stack: (error as Error).stack },
    });
    model.dispose();
    optimizer.dispose();
    throw error;
  }

  const artifacts: string[] = [];
  if (history.epochs.length > 0) {
    const { svg, png } = await learningCurveImages(readRun(writer.dir));
    artifacts.push(
      writer.writeArtifact(
        'learning-curve.svg',
        svg,
        'image/svg+xml',
        'train vs validation loss and accuracy per epoch',
      ),
    );
    artifacts.push(
      writer.writeArtifact(
        'learning-curve.png',
        png,
        'image/png',
        'train vs validation loss and accuracy per epoch',
      ),
    );
  }
  const weights = await saveWeights(model, {
    run: writer.id,
    epoch: String(history.epochs.at(-1)?.epoch ?? 0),
  });
  artifacts.push(
    writer.writeArtifact(
      'model.safetensors',
      weights,
      'application/safetensors',
      'weights after the last epoch',
    ),
  );
  model.dispose();
  optimizer.dispose();

  const record = writer.record;
  const final = record.final ?? {};
  return {
    runDir: resolve(writer.dir),
    runId: writer.id,
    status: record.status,
    backend: ctx.selection.name,
    epochs: history.epochs.length,
    final: {
      trainLoss: final.trainLoss ?? null,
      trainAccuracy: final.trainAccuracy ?? null,
      valLoss: final.valLoss ?? null,
      valAccuracy: final.valAccuracy ?? null,
    },
    best: record.best,
    history,
    artifacts,
    split: {
      sizes: { train: trainIdx.length, validation: valIdx.length, test: testIdx.length },
      fingerprint: split.fingerprint,
      seed,
    },
  };
}
