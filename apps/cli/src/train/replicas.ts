import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { GradientReplicas, Module } from '@tunelab/core';
import { type ExportRef, startReplicas } from '@tunelab/core/node';
import { UsageError } from '../errors.js';

/** Backends that compute on one thread in Node, so extra threads (replicas) add cores. */
const SINGLE_THREADED = new Set(['wasm', 'cpu']);

/**
 * Below this many multiply-accumulates per example (forward), a step is mostly per-kernel
 * overhead and weight traffic that splitting the batch does not shrink. Measured on wasm on
 * the 2-vCPU machine: linear (7,840), mlp2 (26,432) and the 784-128-10 mlp (101,632) train
 * 1.5-2x slower with one replica, cnn4 (182,208) and sepcnn5 (120,272) about the same,
 * basecnn (451,904) and m2cnn (1,919,872) 1.2-1.6x faster (`tunelab bench --workers 0|1`).
 */
export const MIN_MACS_FOR_REPLICAS = 300_000;

/** How many replica threads `--workers auto` uses: none on multi-threaded or GPU backends, nor for small models. */
export function autoReplicaCount(backend: string, macsPerExample: number): number {
  if (!SINGLE_THREADED.has(backend) || macsPerExample < MIN_MACS_FOR_REPLICAS) return 0;
  return Math.max(0, Math.min(availableParallelism(), 8) - 1);
}

/** Environment variable read when `--workers` is not given (tunelab sweep sets it for its trials). */
export const WORKERS_ENV_VAR = 'TUNELAB_WORKERS';

/** Parses `--workers` (else $TUNELAB_WORKERS): 'auto', or a count of replica threads (0 = this thread only). */
export function parseWorkers(value: string | undefined): number | 'auto' {
  if (value === undefined) value = process.env[WORKERS_ENV_VAR];
  if (value === undefined || value === '' || value === 'auto') return 'auto';
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 64)
    throw new UsageError(
      `--workers (or $${WORKERS_ENV_VAR}) must be "auto" or a whole number from 0 to 64, got "${value}"`,
    );
  return n;
}

/** dist/replica-worker.js, next to the bundled code or (from src, in tests) in the package's dist. */
export function replicaWorkerUrl(): URL {
  const candidates = [
    new URL('./replica-worker.js', import.meta.url),
    new URL('../../dist/replica-worker.js', import.meta.url),
  ];
  const found = candidates.find((u) => existsSync(u));
  if (!found) throw new Error('replica-worker.js not found: build the CLI first (pnpm build)');
  return found;
}

/** A zoo model as replicas rebuild it; their weights (and which are frozen) come from the caller's model before each step. */
export function zooModelRef(
  name: string,
  inputShape: readonly number[],
  classes: number,
): ExportRef {
  return {
    module: '@tunelab/layers',
    export: 'buildZooModel',
    args: [name, { inputShape: [...inputShape], classes, seed: 0 }],
  };
}

/** Starts `count` replicas of `model` (built in each thread from `ref`) on `backend`, with core's softmax cross-entropy. */
export function startModelReplicas(
  model: Module,
  ref: ExportRef,
  backend: string,
  count: number,
): Promise<GradientReplicas> {
  return startReplicas(model, {
    count,
    worker: replicaWorkerUrl(),
    backend,
    model: ref,
    loss: { module: '@tunelab/core', export: 'softmaxCrossEntropy' },
  });
}
