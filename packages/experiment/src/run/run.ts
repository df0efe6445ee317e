import {
  type Callback,
  type EpochLogs,
  fit,
  type GradientReplicas,
  type History,
  iterationsPerEpoch,
  type MetricEntry,
  type Module,
  type NewRun,
  NonFiniteLossError,
  Rng,
  type RunEnvironment,
  type RunSink,
  recordRun,
  restoreCheckpoint,
  shareSizes,
  softmaxCrossEntropy,
} from '@tunelab/core';
import type { ExportRef } from '@tunelab/core/node';
import { buildModel, type ModelSources, modelRef } from '../build/model.js';
import { buildOptimizer, buildSchedule } from '../build/training.js';
import { type ExperimentData, prepareData } from '../data/prepare.js';
import { ExperimentError } from '../errors.js';
import type { Experiment } from '../schema/experiment.js';
import { writeRunArtifacts } from './artifacts.js';
import { runCallbacks } from './callbacks.js';
import { describeModel, runConfig } from './config.js';
import { type ResumePoint, restoreRun } from './resume.js';
import { trackMetrics } from './tracked-sink.js';

/** A run being resumed: where it stands, and its sink reopened (able to rewrite its metrics). */
export interface ResumeRun extends ResumePoint {
  /** The run's sink, reopened for writing (RunWriter.open in Node). */
  readonly sink: RunSink & {
    /** Replaces metrics.jsonl with `entries` (the lines kept up to the checkpoint). */
    rewriteMetrics(entries: readonly MetricEntry[]): void;
  };
}

/** Data-parallel replica threads, as a platform provides them (Node: worker threads). */
export interface ReplicaProvider {
  /** How many replica threads to start for `model` (0 for none). */
  count(model: Module, inputShape: readonly number[]): number;
  /** Starts `count` replicas that rebuild the model from `ref`. */
  start(model: Module, ref: ExportRef, count: number): Promise<GradientReplicas>;
  /** Module specifiers redirected when a replica imports a builder file (the training thread's). */
  readonly alias?: Readonly<Record<string, string>>;
}

/** How to run an experiment: where its data and run go, and what the platform adds. */
export interface RunExperimentOptions {
  /** The dataset the experiment names, loaded (Node: from disk; the browser: from the server). */
  data: ExperimentData;
  /**
   * Where the run is recorded, once its record is known: RunWriter.create or new MemoryRun
   * (print the run's location here if you like: runExperiment does not know it).
   */
  createRun(run: NewRun): RunSink;
  /** The environment recorded in run.json (backend, versions, platform). */
  environment: RunEnvironment;
  /** Continue this run from its last checkpoint instead of starting a new one. */
  resume?: ResumeRun | undefined;
  /** The experiment file, recorded in the run's config as `file`. */
  file?: string | undefined;
  /** Use this run id (sweep trials: t01, t02, ...). */
  runId?: string | undefined;
  /** Builder files and previous runs' weights (Node). */
  sources?: ModelSources | undefined;
  /** Rasterises SVG to PNG for the curves' PNG twins (Node); the browser leaves them out. */
  svgToPng?: ((svg: string) => Uint8Array) | undefined;
  /** Data-parallel replicas (Node); none when absent. */
  replicas?: ReplicaProvider | undefined;
  /** Human-readable progress lines (data, run, model, parallelism). */
  print?: ((line: string) => void) | undefined;
  /** Further callbacks after the run's own (a progress bar, a page's live chart). */
  callbacks?: Callback[] | undefined;
  /** Running metrics are read every this many batches. Default fit's (50). */
  logEvery?: number | undefined;
  /** Aborting stops training after the current batch; the run ends 'interrupted'. */
  signal?: AbortSignal | undefined;
}

/** What a finished (or interrupted) run produced. */
export interface ExperimentResult {
  /** The run's sink: its record says how it ended. */
  readonly run: RunSink;
  /** 'completed', 'stopped' or 'interrupted'. */
  readonly status: string;
  /** Epochs finished (resumed ones included). */
  readonly epochs: number;
  /** Metrics of the last epoch, null where absent. */
  readonly final: {
    /** Training loss of the last epoch. */
    readonly trainLoss: number | null;
    /** Training accuracy of the last epoch. */
    readonly trainAccuracy: number | null;
    /** Validation loss of the last epoch. */
    readonly valLoss: number | null;
    /** Validation accuracy of the last epoch. */
    readonly valAccuracy: number | null;
  };
  /** The best epoch by valAccuracy. */
  readonly best?:
    | {
        /** The metric compared ('valAccuracy'). */
        metric: string;
        /** Its best value. */
        value: number;
        /** The epoch of that value. */
        epoch: number;
      }
    | undefined;
  /** Why training stopped early, when a criterion stopped it. */
  readonly stopDetail?: string | undefined;
  /** Every epoch's logs. */
  readonly history: History;
  /** Where the artifacts went. */
  readonly artifacts: string[];
  /** The split's sizes, fingerprint and seed. */
  readonly split: {
    /** Examples per part. */
    readonly sizes: {
      /** Training examples (before trainLimit). */
      train: number;
      /** Validation examples (before validationLimit). */
      validation: number;
      /** Test examples (never evaluated here). */
      test: number;
    };
    /** Fingerprint of the split (changes when the data or the seed does). */
    readonly fingerprint: string;
    /** The seed of the split. */
    readonly seed: number;
  };
}

/**
 * Runs one experiment end to end, the same way everywhere (`tunelab train`, sweep trials,
 * resume, the browser): the seeded split of the merged official parts and its preprocessing,
 * the model (zoo, layer list or builder; `init` and `freeze` applied), optimizer and schedule,
 * training with per-epoch validation (and periodic evaluation when asked), a checkpoint per
 * epoch, then the artifacts (curves, confusion matrix, model summary, weights), and only then
 * the run's final status: a record never says completed before its files exist. The test
 * split is never evaluated here.
 */
export async function runExperiment(
  experiment: Experiment,
  options: RunExperimentOptions,
): Promise<ExperimentResult> {
  const print = options.print ?? (() => {});
  const seed = experiment.seed;
  const root = Rng.fromSeed(seed);
  const data = prepareData(experiment, options.data);
  const { split } = data;
  const n = (v: number) => v.toLocaleString('en-US');
  print(
    `data: ${data.loaded.title} from ${data.loaded.location} (${data.loaded.source}); ${n(split.sizes.reduce((a, b) => a + b, 0))} examples split ` +
      `${split.sizes.map(n).join(' / ')} (seed ${seed}, fingerprint ${split.fingerprint})` +
      (experiment.trainLimit !== undefined ? `; training on the first ${n(data.train.size)}` : '') +
      (experiment.validationLimit !== undefined
        ? `; validating on the first ${n(data.validation.size)}`
        : ''),
  );

  const target = { inputShape: data.inputShape, classes: data.numClasses };
  const model = await buildModel(experiment.model, target, root.fork('init'), options.sources);
  const optimizer = buildOptimizer(experiment.optimizer);
  const schedule = buildSchedule(
    experiment,
    iterationsPerEpoch(data.train.size, experiment.batchSize),
  );

  let sink: RunSink;
  let resumeFrom: EpochLogs[] = [];
  let metrics: MetricEntry[];
  try {
    if (options.resume) {
      const point = options.resume;
      const restored = restoreRun(point, split.fingerprint, model, optimizer);
      resumeFrom = restored.resumeFrom;
      sink = point.sink;
      point.sink.rewriteMetrics(restored.kept);
      sink.update({
        status: 'running',
        config: { ...point.record.config, epochs: experiment.epochs },
        progress: {
          epoch: resumeFrom.at(-1)?.epoch ?? 0,
          epochs: experiment.epochs,
          step: resumeFrom.at(-1)?.step ?? 0,
        },
      });
      metrics = restored.kept;
      print(
        (resumeFrom.length
          ? `resuming ${point.dir} after epoch ${resumeFrom.at(-1)!.epoch}`
          : `restarting ${point.dir} (no finished epoch to resume from)`) +
          (point.found ? ` (found ${point.found})` : ''),
      );
    } else {
      sink = options.createRun({
        name: experiment.name,
        ...(options.runId ? { id: options.runId } : {}),
        config: runConfig(experiment, options.file),
        seed,
        epochs: experiment.epochs,
        environment: options.environment,
        data: data.record,
      });
      metrics = [];
    }
  } catch (error) {
    model.dispose();
    optimizer.dispose();
    throw error;
  }
  const tracked = trackMetrics(sink, metrics);
  const frozen = model.parameterCount('frozen');
  print(
    `model: ${describeModel(experiment.model)}, ${n(model.parameterCount())} parameters${frozen ? ` (${n(frozen)} frozen)` : ''}; ` +
      `optimizer: ${optimizer.name} lr ${optimizer.learningRate}${experiment.schedule ? ` (${experiment.schedule.name})` : ''}; ${experiment.epochs} epochs at batch ${experiment.batchSize}`,
  );

  const heldOutTest = experiment.evaluation?.heldOut === 'test';
  if (heldOutTest) {
    tracked.sink.update({ heldOut: 'test' });
    print(
      "held-out split: TEST (evaluation.heldOut 'test'): the test split is evaluated during training, as the coursework asks; recorded in run.json, so its numbers are no unbiased estimate",
    );
  }
  // The last finished epoch's checkpoint (the resume point's, then each epoch's): after a
  // Ctrl-C mid-epoch or a diverged loss it goes back into the model, so the weights saved are
  // the ones the record describes.
  let lastCheckpoint = options.resume?.checkpoint ?? null;
  const restoreLastEpoch = (): number | null =>
    lastCheckpoint
      ? restoreCheckpoint(lastCheckpoint, ARTIFACT_CHECKPOINT, model, optimizer).epoch
      : null;
  let lastStep = 0;
  const callbacks: Callback[] = [
    {
      onBatchEnd(logs) {
        lastStep = logs.step;
      },
    },
    ...runCallbacks(experiment, tracked.sink, (bytes) => {
      lastCheckpoint = bytes;
    }),
    recordRun(tracked.sink, { finish: false }),
    ...(options.callbacks ?? []),
  ];
  const writeArtifacts = (epoch: number, withWeights: boolean) => {
    const record = tracked.sink.record;
    return writeRunArtifacts(tracked.sink, model, {
      metrics: tracked.metrics,
      title: `${record.name} (${record.id})${heldOutTest ? ': TEST split evaluated during training' : ''}`,
      validation: data.validation,
      inputShape: data.inputShape,
      classes: data.loaded.classes,
      epoch,
      svgToPng: options.svgToPng,
      withWeights,
    });
  };
  let replicas: GradientReplicas | undefined;
  let history: History;
  let artifacts: string[];
  try {
    const count = options.replicas?.count(model, data.inputShape) ?? 0;
    if (count > 0) {
      const ref = modelRef(experiment.model, target, options.replicas!.alias);
      if (!ref)
        throw new ExperimentError(
          'workers: a model function held only in memory cannot be rebuilt in replica threads; export it from a file (model: { file, export }) or train with 0 workers',
        );
      replicas = await options.replicas!.start(model, ref, count);
      print(
        `data parallel: ${count + 1} threads, each batch of ${experiment.batchSize} split ${shareSizes(experiment.batchSize, count + 1).join(' + ')} (--workers 0 for one thread)`,
      );
    }
    history = await fit(model, {
      train: data.train,
      // evaluation.heldOut 'test': the user's recorded opt-in to look at test while training.
      validation: heldOutTest ? data.test : data.validation,
      heldOutName: heldOutTest ? 'test' : 'val',
      loss: softmaxCrossEntropy,
      optimizer,
      schedule,
      epochs: experiment.epochs,
      batchSize: experiment.batchSize,
      rng: root.fork('batches'),
      augment: data.augment,
      evaluateEvery: experiment.evaluation?.everySamples
        ? { samples: experiment.evaluation.everySamples, train: data.trainSubset }
        : undefined,
      resumeFrom,
      signal: options.signal,
      callbacks,
      replicas,
      ...(options.logEvery ? { logEvery: options.logEvery } : {}),
    });
    await replicas?.close();
    replicas = undefined;
  } catch (error) {
    await replicas?.close();
    // Diverged: the weights of the last finite epoch, which the record describes, are saved.
    const epoch = error instanceof NonFiniteLossError ? restoreLastEpoch() : null;
    if (epoch !== null) await writeArtifacts(epoch, true).catch(() => []);
    model.dispose();
    optimizer.dispose();
    throw recordFailure(tracked.sink, error);
  }
  try {
    // Interrupted mid-epoch: the weights in memory are past the last recorded epoch; put that
    // epoch back. With no epoch finished, the weights in memory are all there is: keep them
    // and record the updates applied.
    const restored = history.stopReason === 'interrupted' ? restoreLastEpoch() : null;
    const epoch = restored ?? history.epochs.at(-1)?.epoch ?? 0;
    artifacts = await writeArtifacts(epoch, true);
    const progress = tracked.sink.record.progress;
    if (restored === null && lastStep > progress.step)
      tracked.sink.update({ progress: { ...progress, step: lastStep } });
    // Only now, with every file written, does the record say how the run ended.
    tracked.sink.finish(
      history.stopReason,
      history.stopDetail ? { stopDetail: history.stopDetail } : {},
    );
  } catch (error) {
    throw recordFailure(tracked.sink, error);
  } finally {
    model.dispose();
    optimizer.dispose();
  }

  const record = tracked.sink.record;
  const final = record.final ?? {};
  return {
    run: sink,
    status: record.status,
    epochs: history.epochs.length,
    final: {
      trainLoss: final.trainLoss ?? null,
      trainAccuracy: final.trainAccuracy ?? null,
      valLoss: final.valLoss ?? null,
      valAccuracy: final.valAccuracy ?? null,
    },
    best: record.best,
    stopDetail: history.stopDetail,
    history,
    artifacts,
    split: {
      sizes: { train: split.sizes[0]!, validation: split.sizes[1]!, test: split.sizes[2]! },
      fingerprint: split.fingerprint,
      seed,
    },
  };
}

/** The checkpoint's name in messages about it. */
const ARTIFACT_CHECKPOINT = 'artifacts/checkpoint.safetensors';

/**
 * Marks the run failed with `error` recorded. When even that write fails (a full disk), the
 * returned error says both, so the message still names the file that could not be written.
 */
function recordFailure(sink: RunSink, error: unknown): Error {
  const failure = error instanceof Error ? error : new Error(String(error));
  try {
    sink.finish('failed', {
      error: { message: failure.message, ...(failure.stack ? { stack: failure.stack } : {}) },
    });
    return failure;
  } catch (second) {
    return new Error(
      `${failure.message}; recording the failure failed too: ${(second as Error).message}`,
      { cause: failure },
    );
  }
}
