import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  type BackendSelection,
  type Callback,
  type EpochLogs,
  encodeCheckpoint,
  fit,
  type GradientReplicas,
  type History,
  iterationsPerEpoch,
  Rng,
  restoreCheckpoint,
  shareSizes,
  softmaxCrossEntropy,
} from '@tunelab/core';
import { describeEnvironment, type RunOnDisk, RunWriter, recordRun } from '@tunelab/core/node';
import { checkpointBest } from '@tunelab/optimizers';
import {
  buildModel,
  buildOptimizer,
  buildSchedule,
  buildStoppingCallbacks,
  modelRef,
} from '../build/training.js';
import { prepareData } from '../data/prepare.js';
import { ExperimentError } from '../errors.js';
import { autoReplicaCount, modelCost, startModelReplicas } from '../node/replicas.js';
import type { Experiment } from '../schema/experiment.js';
import { writeRunArtifacts } from './artifacts.js';

/** Where output goes and what was asked for on the command line. */
export interface TrainContext {
  /** Folder that receives the run directory (a new run). */
  outDir: string;
  /** Name of the run directory instead of a generated one (sweep trials). */
  runId?: string;
  /** The experiment file, recorded in the run. */
  file: string;
  /** The backend training runs on (recorded in the run's environment). */
  selection: BackendSelection;
  /** Versions recorded in the run's environment besides Node's and tfjs's, e.g. { tunelab: '0.1.0' }. */
  versions?: Record<string, string>;
  /** Replica threads (data parallel over cores), or 'auto' ({@link autoReplicaCount}). Default 'auto'. */
  workers?: number | 'auto';
  /** The replica threads' entry module (it calls serveReplica); needed when workers is not 0. */
  replicaWorker?: URL;
  /** Human-readable lines (epoch lines, summary). */
  print: (line: string) => void;
  /** Further callbacks, after the run's own (e.g. a progress bar). */
  callbacks?: Callback[];
  /** Aborting stops training after the current batch; the run ends 'interrupted'. */
  signal?: AbortSignal;
  /** Continue this run from its last checkpoint instead of starting a new one. */
  resume?: RunOnDisk;
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
  stopDetail?: string | undefined;
  history: History;
  artifacts: string[];
  split: {
    sizes: { train: number; validation: number; test: number };
    fingerprint: string;
    seed: number;
  };
}

const CHECKPOINT = 'checkpoint.safetensors';

/**
 * Writes artifacts/checkpoint.safetensors (weights, optimizer state, the epoch's logs) at the
 * end of every epoch, before the epoch's metrics line: a run killed at any moment resumes
 * from its last finished epoch.
 */
function checkpointEachEpoch(writer: RunWriter): Callback {
  return {
    async onEpochEnd(logs, ctx) {
      const bytes = await encodeCheckpoint(ctx.model, ctx.optimizer, logs, {
        epochLogs: JSON.stringify(logs),
      });
      writer.writeArtifact(
        CHECKPOINT,
        bytes,
        'application/safetensors',
        'weights and optimizer state after the last finished epoch (resume point)',
      );
    },
  };
}

/**
 * Runs one experiment end to end: data (merged official parts, seeded split, preprocessing),
 * model, optimizer and schedule, training with per-epoch validation (and periodic evaluation
 * when asked), a checkpoint per epoch, and the run directory with metrics, learning curves,
 * confusion matrix, model summary and weights. The test split is never evaluated here.
 */
export async function trainExperiment(
  experiment: Experiment,
  ctx: TrainContext,
): Promise<TrainResult> {
  const seed = experiment.seed;
  const root = Rng.fromSeed(seed);
  const data = prepareData(experiment);
  const { split } = data;
  const n = (v: number) => v.toLocaleString('en-US');
  ctx.print(
    `data: ${data.loaded.title} from ${data.loaded.location} (${data.loaded.source}); ${n(split.sizes.reduce((a, b) => a + b, 0))} examples split ` +
      `${split.sizes.map(n).join(' / ')} (seed ${seed}, fingerprint ${split.fingerprint})` +
      (experiment.trainLimit !== undefined ? `; training on the first ${n(data.train.size)}` : ''),
  );

  const model = buildModel(experiment.model, data.inputShape, data.numClasses, root.fork('init'));
  const optimizer = buildOptimizer(experiment.optimizer);
  const schedule = buildSchedule(
    experiment,
    iterationsPerEpoch(data.train.size, experiment.batchSize),
  );

  let writer: RunWriter;
  let resumeFrom: EpochLogs[] = [];
  if (ctx.resume) {
    ({ writer, resumeFrom } = reopen(ctx.resume, experiment, data.record, model, optimizer));
    ctx.print(
      resumeFrom.length
        ? `resuming ${writer.dir} after epoch ${resumeFrom.at(-1)!.epoch}`
        : `restarting ${writer.dir} (no finished epoch to resume from)`,
    );
  } else {
    writer = RunWriter.create(ctx.outDir, {
      name: experiment.name,
      ...(ctx.runId ? { id: ctx.runId } : {}),
      config: { ...experiment, file: ctx.file },
      seed,
      epochs: experiment.epochs,
      environment: describeEnvironment(ctx.selection, ctx.versions ?? {}),
      data: data.record,
    });
    ctx.print(`run: ${writer.dir}`);
  }
  ctx.print(
    `model: ${experiment.model.name}, ${n(model.parameterCount())} parameters${model.parameterCount('frozen') ? ` (${n(model.parameterCount('frozen'))} frozen)` : ''}; ` +
      `optimizer: ${optimizer.name} lr ${optimizer.learningRate}${experiment.schedule ? ` (${experiment.schedule.name})` : ''}; ${experiment.epochs} epochs at batch ${experiment.batchSize}`,
  );

  const best = experiment.callbacks?.checkpointBest;
  const callbacks: Callback[] = [
    checkpointEachEpoch(writer),
    ...buildStoppingCallbacks(experiment),
    ...(best
      ? [
          checkpointBest({
            writer,
            monitor: best.monitor,
            ...(best.mode ? { mode: best.mode } : {}),
          }),
        ]
      : []),
    recordRun(writer),
    ...(ctx.callbacks ?? []),
  ];
  const threads = ctx.workers ?? 'auto';
  const workers =
    threads === 'auto'
      ? autoReplicaCount(ctx.selection.name, modelCost(model, data.inputShape))
      : threads;
  let replicas: GradientReplicas | undefined;
  let history: History;
  try {
    if (workers > 0) {
      if (!ctx.replicaWorker)
        throw new ExperimentError('workers: replica threads need the replicaWorker entry module');
      replicas = await startModelReplicas(
        model,
        modelRef(experiment.model, data.inputShape, data.numClasses),
        ctx.selection.name,
        workers,
        ctx.replicaWorker,
      );
      ctx.print(
        `data parallel: ${workers + 1} threads, each batch of ${experiment.batchSize} split ${shareSizes(experiment.batchSize, workers + 1).join(' + ')} (--workers 0 for one thread)`,
      );
    }
    history = await fit(model, {
      train: data.train,
      validation: data.validation,
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
      signal: ctx.signal,
      callbacks,
      replicas,
    });
    await replicas?.close();
  } catch (error) {
    await replicas?.close();
    writer.finish('failed', {
      error: { message: (error as Error).message, stack: (error as Error).stack },
    });
    model.dispose();
    optimizer.dispose();
    throw error;
  }

  const artifacts = await writeRunArtifacts(writer, model, {
    validation: data.validation,
    inputShape: data.inputShape,
    classes: data.loaded.classes,
    epoch: history.epochs.at(-1)?.epoch ?? 0,
  });
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

/**
 * Reopens a run to continue it: checks the data split is the one it was trained on, loads
 * its last checkpoint into the model and optimizer, and keeps the metrics lines up to that
 * epoch (those of unfinished work are dropped and redone).
 */
function reopen(
  run: RunOnDisk,
  experiment: Experiment,
  dataRecord: Record<string, unknown>,
  model: Parameters<typeof restoreCheckpoint>[2],
  optimizer: Parameters<typeof restoreCheckpoint>[3],
): { writer: RunWriter; resumeFrom: EpochLogs[] } {
  const recorded = (run.record.data?.split as { fingerprint?: string } | undefined)?.fingerprint;
  const now = (dataRecord.split as { fingerprint: string }).fingerprint;
  if (recorded && recorded !== now) {
    throw new ExperimentError(
      `${run.dir}: the data split changed since this run started (fingerprint ${recorded}, now ${now}); cannot resume`,
    );
  }
  const path = join(run.dir, 'artifacts', CHECKPOINT);
  let epoch = 0;
  let last: EpochLogs | null = null;
  if (existsSync(path)) {
    const restored = restoreCheckpoint(readFileSync(path), path, model, optimizer);
    epoch = restored.epoch;
    last = JSON.parse(restored.metadata.epochLogs ?? 'null') as EpochLogs | null;
  }
  // Keep what happened up to the checkpoint; drop the lines of work that will be redone.
  const lastSamples = last?.samples ?? 0;
  const kept = run.metrics.filter((m) =>
    m.kind === 'epoch' ? m.epoch <= epoch : m.split !== 'periodic' || m.samples <= lastSamples,
  );
  // A kill between the checkpoint and its metrics line: the checkpoint carries the line.
  if (last && !kept.some((m) => m.kind === 'epoch' && m.epoch === epoch)) {
    kept.push({
      kind: 'epoch',
      ...last,
      metrics: { ...last.metrics },
      time: new Date().toISOString(),
    });
  }
  const resumeFrom: EpochLogs[] = kept.flatMap((m) =>
    m.kind === 'epoch'
      ? [
          {
            epoch: m.epoch,
            step: m.step,
            samples: m.samples,
            seconds: m.seconds,
            lr: m.lr,
            metrics: m.metrics as Record<string, number>,
          },
        ]
      : [],
  );
  const writer = RunWriter.open(run.dir);
  writer.rewriteMetrics(kept);
  writer.update({
    status: 'running',
    config: { ...run.record.config, epochs: experiment.epochs },
    progress: {
      epoch: resumeFrom.at(-1)?.epoch ?? 0,
      epochs: experiment.epochs,
      step: resumeFrom.at(-1)?.step ?? 0,
    },
  });
  return { writer, resumeFrom };
}
