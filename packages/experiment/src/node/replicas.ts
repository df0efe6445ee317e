import { availableParallelism } from 'node:os';
import type { GradientReplicas, Module } from '@tunelab/core';
import { type ExportRef, startReplicas } from '@tunelab/core/node';
import { summarize } from '@tunelab/layers';
import type { ReplicaProvider } from '../run/run.js';

/** Backends that compute on one thread in Node, so extra threads (replicas) add cores. */
const SINGLE_THREADED = new Set(['wasm', 'cpu']);

/**
 * When replicas pay: a step must have compute to split (multiply-accumulates per example,
 * forward) and little weight traffic per unit of it (MACs per parameter: each step sends the
 * weights out and the gradients back). Dense layers do one MAC per weight per example, so an
 * MLP never qualifies; convolutions reuse each weight hundreds of times. Measured on wasm on
 * the 2-vCPU machine (samples/s with one replica vs none): linear (7,840 MACs, 1.0 per
 * parameter), mlp2 (26,432, 1.0) and the 784-128-10 mlp (101,632, 1.0) 1.5-2x slower; cnn4
 * (182,208, 13) the same; sepcnn5 (120,272, 4.7) 1.35x, basecnn (451,904, 181) 1.15-1.25x and
 * m2cnn (1,919,872, 80) 1.6x faster (`tunelab bench --workers 0|1`).
 */
export const MIN_MACS_FOR_REPLICAS = 100_000;
/** See {@link MIN_MACS_FOR_REPLICAS}. */
export const MIN_MACS_PER_PARAMETER = 2;

/**
 * How many replica threads `--workers auto` uses: one per extra core (at most 7) on
 * single-threaded backends for models that gain ({@link MIN_MACS_FOR_REPLICAS}), else none.
 */
export function autoReplicaCount(
  backend: string,
  cost: { macsPerExample: number; parameters: number },
): number {
  if (!SINGLE_THREADED.has(backend)) return 0;
  if (cost.macsPerExample < MIN_MACS_FOR_REPLICAS) return 0;
  if (cost.macsPerExample < MIN_MACS_PER_PARAMETER * cost.parameters) return 0;
  return Math.max(0, Math.min(availableParallelism(), 8) - 1);
}

/** Forward MACs per example and parameters of `model` (0 MACs when it cannot describe itself). */
export function modelCost(
  model: Module,
  inputShape: readonly number[],
): {
  /** Forward multiply-accumulates per example (0 when the model cannot describe itself). */
  macsPerExample: number;
  /** Parameters of the model. */
  parameters: number;
} {
  let macsPerExample = 0;
  try {
    macsPerExample = summarize(model, inputShape).totals.macs;
  } catch {
    // A custom layer without describe(): no replicas.
  }
  return { macsPerExample, parameters: model.parameterCount() };
}

/**
 * Starts `count` replicas of `model` (built in each thread from `ref`) on `backend`, with
 * core's softmax cross-entropy; `worker` is the thread entry (a module calling serveReplica).
 */
export function startModelReplicas(
  model: Module,
  ref: ExportRef,
  backend: string,
  count: number,
  worker: URL,
): Promise<GradientReplicas> {
  return startReplicas(model, {
    count,
    worker,
    backend,
    model: ref,
    loss: { module: '@tunelab/core', export: 'softmaxCrossEntropy' },
  });
}

/** Options of {@link nodeReplicas}. */
export interface NodeReplicasOptions {
  /** Replica threads, or 'auto' ({@link autoReplicaCount}). */
  workers: number | 'auto';
  /** The backend every replica selects (the training thread's). */
  backend: string;
  /** The worker entry module (it calls serveReplica); required unless workers is 0. */
  worker?: URL | undefined;
  /** Module specifiers redirected when a replica imports a builder file. */
  alias?: Readonly<Record<string, string>>;
}

/**
 * Replica threads for runExperiment in Node: `workers` of them, or as many as pay for the
 * model ('auto'), started from `worker`.
 */
export function nodeReplicas(options: NodeReplicasOptions): ReplicaProvider {
  return {
    ...(options.alias ? { alias: options.alias } : {}),
    count(model, inputShape) {
      return options.workers === 'auto'
        ? autoReplicaCount(options.backend, modelCost(model, inputShape))
        : options.workers;
    },
    start(model, ref, count) {
      if (!options.worker)
        throw new Error('replica threads need their worker entry module (options.worker)');
      return startModelReplicas(model, ref, options.backend, count, options.worker);
    },
  };
}
