import * as tf from '@tensorflow/tfjs-core';
import { batchIndices, iterationsPerEpoch } from '../data/batches.js';
import type { Batch, BatchTransform, Dataset } from '../data/dataset.js';
import type { Module } from '../module/module.js';
import type { Parameter } from '../module/parameter.js';
import type { Rng } from '../random/rng.js';
import { gradientsRegistered } from '../tf/gradients.js';
import type {
  BatchLogs,
  Callback,
  EpochLogs,
  History,
  StopReason,
  TrainingContext,
} from './callback.js';
import { dataParallelStep } from './data-parallel.js';
import { capitalise, crossesInterval, evaluateSplits } from './evaluation-schedule.js';
import type { LossFn } from './loss.js';
import { accuracy, type Metric, RunningMean } from './metrics.js';
import { NonFiniteLossError, type PendingLoss, throwNonFinite } from './non-finite.js';
import type { GradientPair, Optimizer } from './optimizer.js';
import type { GradientReplicas } from './replicas.js';
import type { Schedule } from './schedule.js';
import { localStep, type StepResult, type TrainingStep } from './step.js';

/** Options of {@link fit}. */
export interface FitOptions {
  /** The training set; shuffled every epoch with `rng`. */
  train: Dataset;
  /** Evaluated after every epoch as valLoss / valAccuracy when given. */
  validation?: Dataset | undefined;
  /**
   * Prefix of the metrics of `validation`: 'val' (default; valLoss, valAccuracy) or 'test'
   * when the held-out set passed is the test split (testLoss, testAccuracy), as in a literal
   * reproduction of coursework that looks at test during training.
   */
  heldOutName?: 'val' | 'test' | undefined;
  /** The loss minimised, e.g. softmaxCrossEntropy (logits and integer labels). */
  loss: LossFn;
  /** Applies the gradients, e.g. adam({ lr: 1e-3 }) from @tunelab/optimizers. */
  optimizer: Optimizer;
  /** Learning rate per step; the optimizer's own rate when absent. */
  schedule?: Schedule | undefined;
  /** Epochs to train (counting resumed ones). */
  epochs: number;
  /** Examples per update; the last batch of an epoch may be smaller. */
  batchSize: number;
  /** Batch order: epoch e is shuffled by `rng.fork('epoch-' + e)`, independent of other epochs. */
  rng: Rng;
  /** Streaming metrics besides the loss. Default [accuracy()]. */
  metrics?: () => Metric[];
  /** Called in order at each hook ({@link Callback}). */
  callbacks?: Callback[];
  /** Running metrics are read from the backend every this many batches. Default 50. */
  logEvery?: number;
  /** Drop the last partial batch of each epoch. Default false. */
  dropLast?: boolean;
  /** Examples per forward pass when evaluating. Default 1000. */
  evalBatchSize?: number;
  /**
   * Also evaluate every `samples` training examples (e.g. 20,000), mid-epoch included: on
   * `train` (a subset of the training set, e.g. 20% of it; metrics trainLoss, trainAccuracy)
   * and on the validation set (valLoss, valAccuracy). Reported through onEvaluation.
   */
  evaluateEvery?:
    | {
        /** Training examples between evaluations, e.g. 20,000. */
        samples: number;
        /** The training subset to score; without it only validation is evaluated. */
        train?: Dataset | undefined;
      }
    | undefined;
  /** Epochs already done (resume): training continues at epoch initialEpoch + 1. */
  initialEpoch?: number;
  /**
   * The logs of the epochs already done, when continuing a run from a checkpoint taken after
   * its last one: training continues at the next epoch, the schedule replays its observations,
   * callbacks get onResume(history), and the returned history includes these epochs.
   */
  resumeFrom?: readonly EpochLogs[] | undefined;
  /**
   * Random augmentation of training batches only (never of validation): gets each batch and
   * a generator forked from `rng` per epoch and batch, so the same seed augments identically.
   * Takes ownership of the batch's tensors (dispose what it replaces).
   */
  augment?: BatchTransform | undefined;
  /** Aborting stops after the current batch with stopReason 'interrupted'. */
  signal?: AbortSignal | undefined;
  /**
   * Data parallelism: each batch is split into `replicas.count + 1` shares, the replicas
   * (other threads, `startReplicas` in `@tunelab/core/node`) compute the gradients of all
   * but the first, and the gradients are averaged weighted by share size. Exact for a loss
   * that is a mean over examples; batch statistics (batch norm) are then per share. The
   * caller owns the replicas (close them after training).
   */
  replicas?: GradientReplicas | undefined;
}

/**
 * Trains `model` with mini-batch gradient descent: for each epoch, a seeded shuffle of the
 * training set, a step per batch (forward + backward over the trainable parameters: on this
 * thread, or data parallel over `replicas`), an optimizer update, periodic evaluation when
 * asked, then evaluation on the validation set. Metrics stay on the backend and are read once
 * per `logEvery` batches. A loss that becomes NaN or infinite (training, or the epoch's
 * held-out loss) throws a {@link NonFiniteLossError} at that read, naming the first update
 * whose loss was not finite and its learning rate.
 */
export async function fit(model: Module, options: FitOptions): Promise<History> {
  if (!gradientsRegistered) throw new Error('tfjs gradients are not registered');
  const { train, validation, optimizer, schedule, loss, batchSize, rng } = options;
  const epochs = options.epochs;
  if (!Number.isInteger(epochs) || epochs < 0)
    throw new Error(`fit: epochs must be a non-negative integer, got ${epochs}`);
  if (train.size === 0) throw new Error('fit: the training set is empty');
  const callbacks = options.callbacks ?? [];
  const logEvery = Math.max(1, options.logEvery ?? 50);
  const dropLast = options.dropLast ?? false;
  const batchesPerEpoch = iterationsPerEpoch(train.size, batchSize, { dropLast });
  const samplesPerEpoch = dropLast ? batchesPerEpoch * batchSize : train.size;
  const resumeFrom = options.resumeFrom ?? [];
  const initialEpoch = resumeFrom.at(-1)?.epoch ?? options.initialEpoch ?? 0;
  const secondsBefore = resumeFrom.at(-1)?.seconds ?? 0;
  const evalMetricsFor = options.metrics ?? (() => [accuracy()]);
  const metrics = evalMetricsFor();
  const heldOut = options.heldOutName ?? 'val';
  const lossMean = new RunningMean();
  // Each batch's loss since the last read stays on the backend: when the running mean reads
  // non-finite they tell which update diverged, read only then (no extra sync per step).
  const pendingLosses: PendingLoss[] = [];
  const releasePending = () => tf.dispose(pendingLosses.splice(0).map((p) => p.value));
  const evalBatchSize = options.evalBatchSize ?? 1000;
  // The step strategy: the whole batch here, or shares of it on replica threads.
  const trainStep: TrainingStep = options.replicas
    ? dataParallelStep(model, loss, options.replicas)
    : localStep(model, loss);

  const stopState: { requested: boolean; reason: StopReason; detail?: string | undefined } = {
    requested: false,
    reason: 'completed',
  };
  const context: TrainingContext = {
    model,
    optimizer,
    epochs,
    batchSize,
    batchesPerEpoch,
    trainSize: train.size,
    stop(reason = 'stopped', detail) {
      if (!stopState.requested) Object.assign(stopState, { requested: true, reason, detail });
    },
    get stopRequested() {
      return stopState.requested;
    },
  };
  const onAbort = () => context.stop('interrupted', 'aborted by signal');
  options.signal?.addEventListener('abort', onAbort);
  if (options.signal?.aborted) onAbort();

  const history: EpochLogs[] = [...resumeFrom];
  for (const logs of resumeFrom) schedule?.observe?.(logs.metrics, logs.step);
  const start = performance.now();
  let step = initialEpoch * batchesPerEpoch;
  let samples = initialEpoch * samplesPerEpoch;
  let lr = schedule ? schedule.at(step) : optimizer.learningRate;

  try {
    for (const cb of callbacks) await cb.onTrainBegin?.(context);
    if (resumeFrom.length > 0) for (const cb of callbacks) await cb.onResume?.(resumeFrom, context);
    for (let epoch = initialEpoch + 1; epoch <= epochs && !stopState.requested; epoch++) {
      for (const cb of callbacks) await cb.onEpochBegin?.(epoch, context);
      model.train();
      const trainable = model.trainableParameters();
      if (trainable.length === 0)
        throw new Error('fit: the model has no trainable parameters (all frozen?)');
      const byName = new Map<string, Parameter>(trainable.map((p) => [p.variable.name, p]));
      // Replicas name gradients by index into model.parameters().
      const indexOf = new Map(model.parameters().map((p, i) => [p.variable.name, i]));
      const variables = trainable.map((p) => p.variable);
      lossMean.reset();
      for (const m of metrics) m.reset();
      let running: Record<string, number> = {};

      let batchNumber = 0;
      const order = batchIndices(train.size, batchSize, {
        rng: rng.fork(`epoch-${epoch}`),
        dropLast,
      });
      const augmentRng = rng.fork(`augment-${epoch}`);
      // One batch ahead: batch b+1 is built (and uploaded) right after step b is dispatched,
      // so on asynchronous backends (WebGL, WebGPU) it overlaps with step b's kernels.
      const build = (b: number): Batch | null => {
        const next = order.next();
        if (next.done) return null;
        const batch = train.batch(next.value);
        return options.augment ? options.augment(batch, augmentRng.fork(`batch-${b}`)) : batch;
      };
      let upcoming = build(1);
      try {
        while (upcoming) {
          const batch = upcoming;
          upcoming = null;
          batchNumber++;
          lr = schedule ? schedule.at(step) : optimizer.learningRate;
          const pending = trainStep(batch, { variables, indexOf });
          const { value, outputs, grads }: StepResult =
            pending instanceof Promise ? await pending : pending;
          const pairs: GradientPair[] = Object.entries(grads).map(([name, g]) => [
            byName.get(name)!,
            g,
          ]);
          optimizer.applyGradients(pairs, lr);
          lossMean.add(value, batch.size);
          pendingLosses.push({ value, step: step + 1, batch: batchNumber, lr });
          for (const m of metrics) m.update(outputs, batch.y);
          tf.dispose([outputs, batch.x, batch.y, ...Object.values(grads)]);
          step++;
          samples += batch.size;
          upcoming = build(batchNumber + 1);
          const every = options.evaluateEvery?.samples;
          if (every && crossesInterval(samples - batch.size, samples, every)) {
            const evalMetrics = await evaluateSplits(
              model,
              [
                ['train', options.evaluateEvery?.train],
                [heldOut, validation],
              ],
              { loss, batchSize: evalBatchSize, metrics: evalMetricsFor },
            );
            const evalLogs = {
              epoch: samples / samplesPerEpoch,
              step,
              samples,
              seconds: secondsBefore + (performance.now() - start) / 1000,
              metrics: evalMetrics,
            };
            for (const cb of callbacks) await cb.onEvaluation?.(evalLogs, context);
          }

          const fresh = batchNumber % logEvery === 0 || batchNumber === batchesPerEpoch;
          if (fresh) {
            running = await readRunning(lossMean, metrics);
            const loss = running.loss ?? Number.NaN;
            if (!Number.isFinite(loss)) await throwNonFinite(pendingLosses, epoch, loss);
            releasePending();
            // Let timers, signals and UI run between logging periods.
            await yieldToEventLoop();
          }
          const logs: BatchLogs = {
            epoch,
            batch: batchNumber,
            batchesPerEpoch,
            step,
            samples,
            lr,
            fresh,
            metrics: running,
          };
          for (const cb of callbacks) await cb.onBatchEnd?.(logs, context);
          if (stopState.requested) break;
        }
      } finally {
        // A batch built ahead but never trained on (stop, error) is freed here.
        if (upcoming) tf.dispose([(upcoming as Batch).x, (upcoming as Batch).y]);
      }

      if (stopState.reason === 'interrupted') break;
      const trainMetrics = await readRunning(lossMean, metrics);
      const epochMetrics: Record<string, number> = {};
      for (const [k, v] of Object.entries(trainMetrics)) epochMetrics[`train${capitalise(k)}`] = v;
      Object.assign(
        epochMetrics,
        await evaluateSplits(model, [[heldOut, validation]], {
          loss,
          batchSize: evalBatchSize,
          metrics: () => metrics,
        }),
      );
      const heldOutLoss = epochMetrics[`${heldOut}Loss`];
      if (heldOutLoss !== undefined && !Number.isFinite(heldOutLoss))
        throw new NonFiniteLossError({
          step,
          epoch,
          batch: 0,
          lr,
          loss: heldOutLoss,
          split: heldOut === 'test' ? 'test' : 'validation',
        });
      const logs: EpochLogs = {
        epoch,
        step,
        samples,
        seconds: secondsBefore + (performance.now() - start) / 1000,
        lr,
        metrics: epochMetrics,
      };
      history.push(logs);
      schedule?.observe?.(epochMetrics, step);
      for (const cb of callbacks) await cb.onEpochEnd?.(logs, context);
    }
    const result: History = {
      epochs: history,
      stopReason: stopState.reason,
      stopDetail: stopState.detail,
    };
    for (const cb of callbacks) await cb.onTrainEnd?.(result, context);
    return result;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    releasePending();
    lossMean.reset();
    for (const m of metrics) m.dispose();
  }
}

async function readRunning(
  lossMean: RunningMean,
  metrics: Metric[],
): Promise<Record<string, number>> {
  const out: Record<string, number> = { loss: await lossMean.read() };
  for (const m of metrics) out[m.name] = await m.read();
  return out;
}

/** setImmediate where there is one (Node), else setTimeout. */
const nextTurn: (resume: () => void) => void =
  typeof (globalThis as { setImmediate?: unknown }).setImmediate === 'function'
    ? (resume) =>
        (globalThis as unknown as { setImmediate: (f: () => void) => void }).setImmediate(resume)
    : (resume) => setTimeout(resume, 0);

/**
 * One turn of the event loop: due timers, I/O and signal handlers (Ctrl-C) run before it
 * resolves. In Node through setImmediate: setTimeout(0) waits at least 1 ms, which once per
 * 50-batch logging period left a linear model (50 steps of 0.17 ms) idle a tenth of the time.
 */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => nextTurn(resolve));
}
