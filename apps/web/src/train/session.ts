import {
  type ArrayDataset,
  type BackendSelection,
  type BatchLogs,
  type Callback,
  confusionOf,
  type EvaluationLogs,
  fit,
  type Optimizer,
  Rng,
  saveWeights,
  softmaxCrossEntropy,
} from '@tunelab/core';
import { MemoryRun, recordRun } from '@tunelab/core/record';
import { evaluationSubset, splitByRatios } from '@tunelab/datasets';
import { buildZooModel, summarize } from '@tunelab/layers';
import { adam, momentum, sgd } from '@tunelab/optimizers';
import { learningCurveSpec, renderSvg } from '@tunelab/reports';
import { browserEnvironment } from './backend.js';

/** What the user set on the train page. */
export interface TrainSettings {
  /** Dataset name (fashion-mnist, mnist) or "files" for files dropped on the page. */
  readonly dataset: string;
  readonly title: string;
  readonly classes: readonly string[];
  /** A zoo model for the data's shape (cnn4, mlp2, ...). */
  readonly model: string;
  readonly optimizer: 'sgd' | 'momentum' | 'adam';
  readonly lr: number;
  readonly batchSize: number;
  readonly epochs: number;
  /** Train on the first N examples of the training split (the browser is slower than the CLI). */
  readonly trainLimit: number;
  /** Validate on the first N examples of the validation split. */
  readonly validationLimit: number;
  /** Evaluate on validation (and 20% of the training subset) every this many samples. */
  readonly evaluateEvery: number;
  readonly seed: number;
}

/** Hooks the page passes: progress after batches and evaluations, and a signal that stops. */
export interface TrainHooks {
  /** The run being recorded, as soon as it exists (subscribe to its changes for live charts). */
  onRun?(run: MemoryRun): void;
  onBatch?(logs: BatchLogs): void;
  onEvaluation?(logs: EvaluationLogs): void;
  signal?: AbortSignal;
}

function makeOptimizer(s: TrainSettings): Optimizer {
  if (s.optimizer === 'adam') return adam({ lr: s.lr });
  if (s.optimizer === 'momentum') return momentum({ lr: s.lr, momentum: 0.9 });
  return sgd({ lr: s.lr });
}

/** Gives the page a chance to draw: the loop would otherwise hold the main thread. */
const nextFrame = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Trains in the browser exactly as `tunelab train` does (core's fit, the zoo model, a seeded
 * 80/10/10 split of the merged parts), recording into a MemoryRun in the run format:
 * metrics lines per epoch and per periodic evaluation, then a confusion matrix, the model
 * summary, the learning curve and the weights as artifacts. Stopping (the signal) ends the
 * run as 'interrupted' with what it learned so far.
 */
export async function trainInBrowser(
  data: ArrayDataset,
  settings: TrainSettings,
  selection: BackendSelection,
  hooks: TrainHooks = {},
): Promise<MemoryRun> {
  const rng = Rng.fromSeed(settings.seed);
  const split = splitByRatios(data.size, { seed: settings.seed, ratios: [0.8, 0.1, 0.1] });
  const [trainIdx, valIdx] = split.parts as [Int32Array, Int32Array];
  const train = data.subset(trainIdx).take(Math.min(settings.trainLimit, trainIdx.length));
  const validation = data.subset(valIdx).take(Math.min(settings.validationLimit, valIdx.length));
  const trainSubset = train.subset(evaluationSubset(train.size, 0.2, settings.seed));
  const inputShape = [...data.inputShape];
  const model = buildZooModel(settings.model, {
    inputShape,
    classes: data.numClasses,
    seed: rng.fork('init'),
  });
  const optimizer = makeOptimizer(settings);

  const run = new MemoryRun({
    name: `browser-${settings.model}`,
    config: {
      name: `browser-${settings.model}`,
      trainedIn: 'browser',
      data: { dataset: settings.dataset, split: [0.8, 0.1, 0.1] },
      model: { name: settings.model },
      optimizer: { name: settings.optimizer, lr: settings.lr },
      epochs: settings.epochs,
      batchSize: settings.batchSize,
      trainLimit: settings.trainLimit,
      validationLimit: settings.validationLimit,
      evaluation: { everySamples: settings.evaluateEvery, trainFraction: 0.2 },
      seed: settings.seed,
    },
    seed: settings.seed,
    environment: browserEnvironment(selection),
    data: {
      dataset: settings.dataset,
      title: settings.title,
      classes: [...settings.classes],
      inputShape,
      split: {
        seed: settings.seed,
        ratios: split.ratios,
        names: split.names,
        sizes: split.sizes,
        fingerprint: split.fingerprint,
      },
      trainExamples: train.size,
      validationExamples: validation.size,
    },
    epochs: settings.epochs,
  });

  hooks.onRun?.(run);
  let lastStep = 0;
  const ui: Callback = {
    async onBatchEnd(logs) {
      lastStep = logs.step;
      hooks.onBatch?.(logs);
      if (logs.fresh) await nextFrame();
    },
    async onEvaluation(logs) {
      hooks.onEvaluation?.(logs);
      await nextFrame();
    },
  };
  try {
    await fit(model, {
      train,
      validation,
      loss: softmaxCrossEntropy,
      optimizer,
      epochs: settings.epochs,
      batchSize: settings.batchSize,
      rng: rng.fork('batches'),
      logEvery: 10,
      evaluateEvery: { samples: settings.evaluateEvery, train: trainSubset },
      signal: hooks.signal,
      callbacks: [recordRun(run), ui],
    });
    // Stopped mid-epoch: the record says how many updates were applied all the same.
    const { progress } = run.record;
    if (lastStep > progress.step) run.update({ progress: { ...progress, step: lastStep } });
    await writeArtifacts(run, model, validation, settings, inputShape);
  } catch (error) {
    run.finish('failed', { error: { message: (error as Error).message } });
    throw error;
  } finally {
    model.dispose();
    optimizer.dispose();
  }
  return run;
}

/** What a run directory written by the CLI holds besides metrics (the PNGs are the CLI's). */
async function writeArtifacts(
  run: MemoryRun,
  model: ReturnType<typeof buildZooModel>,
  validation: ArrayDataset,
  settings: TrainSettings,
  inputShape: number[],
): Promise<void> {
  const matrix = await confusionOf(model, validation);
  run.writeArtifact(
    'confusion-validation.json',
    `${JSON.stringify({ split: 'validation', classes: settings.classes, matrix })}\n`,
    'application/json',
    'confusion matrix of the final model on the validation examples (rows: true class)',
  );
  run.writeArtifact(
    'model-summary.json',
    `${JSON.stringify(summarize(model, inputShape), null, 2)}\n`,
    'application/json',
    'per-layer shapes, parameters, MACs, connections, receptive fields',
  );
  if (run.metrics.some((m) => m.kind === 'epoch'))
    run.writeArtifact(
      'learning-curve.svg',
      await renderSvg(
        learningCurveSpec(run.metrics, { title: `${run.record.name} (${run.record.id})` }),
      ),
      'image/svg+xml',
      'train vs validation loss and accuracy per epoch',
    );
  run.writeArtifact(
    'model.safetensors',
    await saveWeights(model, { run: run.record.id, epoch: String(run.record.progress.epoch) }),
    'application/safetensors',
    'weights at the end of training',
  );
}
