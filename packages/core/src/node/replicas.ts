import { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import type { ModuleImporter } from '../backend/candidates.js';
import { nodeBackendCandidates } from '../backend/candidates.js';
import { selectBackend } from '../backend/select.js';
import type { Module } from '../module/module.js';
import type { LossFn } from '../train/loss.js';
import type { GradientReplicas, ReplicaResult, ReplicaShare } from '../train/replicas.js';

/**
 * Where a replica finds a function: an export of a module, called with `args` when given
 * (a model factory), used as it is otherwise (a loss). The specifier is resolved by the
 * worker entry's importer, so '@tunelab/layers' resolves from the app that owns the entry.
 * `{ module: '@tunelab/layers', export: 'buildZooModel', args: ['cnn4', { classes: 10 }] }`.
 */
export interface ExportRef {
  readonly module: string;
  readonly export: string;
  /** JSON-serialisable arguments; the export is called with them when present. */
  readonly args?: readonly unknown[];
}

/** Options of {@link startReplicas}. */
export interface StartReplicasOptions {
  /** Replica threads to start (besides the caller), e.g. os.availableParallelism() - 1. */
  readonly count: number;
  /**
   * The worker entry: a module that calls {@link serveReplica} with its own importer, e.g.
   * `serveReplica((s) => import(s))` in the app's dist/replica-worker.js.
   */
  readonly worker: URL;
  /** The backend every replica selects (the caller's: 'wasm' or 'cpu'). */
  readonly backend: string;
  /** Builds a model with the same parameters, in the same order and shapes, as `model`. */
  readonly model: ExportRef;
  /** The loss, a mean over the examples of a share (e.g. core's softmaxCrossEntropy). */
  readonly loss: ExportRef;
}

/** One tensor of the model's state in the shared weights buffer. */
interface Slot {
  readonly name: string;
  readonly shape: readonly number[];
  /** Offset in float32 elements. */
  readonly offset: number;
  readonly size: number;
}

type ToWorker =
  | {
      type: 'init';
      backend: string;
      model: ExportRef;
      loss: ExportRef;
      slots: Slot[];
      parameterCount: number;
      weights: SharedArrayBuffer;
      grads: SharedArrayBuffer;
    }
  | { type: 'step'; trainable: boolean[]; share: ReplicaShare }
  | { type: 'close' };

type FromWorker =
  | { type: 'ready' }
  | { type: 'done'; loss: number; outputs: Float32Array; outputsShape: number[] }
  | { type: 'error'; message: string; stack?: string };

/** The model's state (parameters first, then buffers) laid out in one float32 buffer. */
function layoutOf(model: Module): { slots: Slot[]; parameterCount: number; floats: number } {
  const slots: Slot[] = [];
  let offset = 0;
  const named = model.namedParameters();
  const entries: Array<[string, tf.Tensor]> = [
    ...named.map(([n, p]) => [n, p.variable] as [string, tf.Tensor]),
    ...model.namedBuffers(),
  ];
  for (const [name, t] of entries) {
    if (t.dtype !== 'float32')
      throw new Error(`replicas: "${name}" is ${t.dtype}; only float32 state can be shared`);
    slots.push({ name, shape: t.shape, offset, size: t.size });
    offset += t.size;
  }
  return { slots, parameterCount: named.length, floats: offset };
}

/**
 * Starts `count` worker threads, each with its own tfjs backend and its own copy of the
 * model, and resolves once every one has built the model and checked that its parameters
 * match `model`'s by name and shape. Weights travel through a SharedArrayBuffer written
 * before each step; gradients come back through one buffer per replica. Call `close()`.
 */
export async function startReplicas(
  model: Module,
  options: StartReplicasOptions,
): Promise<GradientReplicas> {
  if (!Number.isInteger(options.count) || options.count < 1)
    throw new Error(`startReplicas: count must be a positive integer, got ${options.count}`);
  const { slots, parameterCount, floats } = layoutOf(model);
  const weightsBuffer = new SharedArrayBuffer(floats * 4);
  const weights = new Float32Array(weightsBuffer);
  const paramFloats = parameterCount
    ? slots[parameterCount - 1]!.offset + slots[parameterCount - 1]!.size
    : 0;
  const replicas = Array.from({ length: options.count }, (_, i) => {
    const gradsBuffer = new SharedArrayBuffer(Math.max(1, paramFloats) * 4);
    return new ReplicaThread(i + 1, options.worker, new Float32Array(gradsBuffer), gradsBuffer);
  });
  try {
    await Promise.all(
      replicas.map((r) =>
        r.request({
          type: 'init',
          backend: options.backend,
          model: options.model,
          loss: options.loss,
          slots,
          parameterCount,
          weights: weightsBuffer,
          grads: r.gradsBuffer,
        }),
      ),
    );
  } catch (error) {
    await Promise.all(replicas.map((r) => r.terminate()));
    throw error;
  }

  return {
    count: options.count,
    dispatch(current, shares) {
      if (shares.length > replicas.length)
        throw new Error(`replicas: ${shares.length} shares for ${replicas.length} replicas`);
      if (shares.length === 0) return Promise.resolve([]);
      const parameters = current.parameters();
      const state = current.stateDict();
      if (state.size !== slots.length)
        throw new Error('replicas: the model no longer has the parameters it started with');
      let i = 0;
      for (const t of state.values()) {
        const slot = slots[i++]!;
        weights.set(t.dataSync() as Float32Array, slot.offset);
      }
      const trainable = parameters.map((p) => p.trainable);
      return Promise.all(
        shares.map(async (share, k) => {
          const replica = replicas[k]!;
          const reply = await replica.request({ type: 'step', trainable, share });
          if (reply.type !== 'done') throw new Error('replicas: unexpected reply');
          const grads = new Map<number, Float32Array>();
          for (let p = 0; p < parameterCount; p++) {
            if (!trainable[p]) continue;
            const slot = slots[p]!;
            grads.set(p, replica.grads.subarray(slot.offset, slot.offset + slot.size));
          }
          return {
            grads,
            loss: reply.loss,
            outputs: reply.outputs,
            outputsShape: reply.outputsShape,
          } satisfies ReplicaResult;
        }),
      );
    },
    async close() {
      await Promise.all(replicas.map((r) => r.close()));
    },
  };
}

/** One worker thread and its single outstanding request. */
class ReplicaThread {
  readonly #worker: Worker;
  #pending: { resolve(m: FromWorker): void; reject(e: Error): void } | null = null;
  #failure: Error | null = null;

  constructor(
    readonly index: number,
    entry: URL,
    readonly grads: Float32Array,
    readonly gradsBuffer: SharedArrayBuffer,
  ) {
    this.#worker = new Worker(entry);
    this.#worker.on('message', (m: FromWorker) => {
      const pending = this.#pending;
      this.#pending = null;
      if (!pending) return;
      if (m.type === 'error') {
        const error = new Error(`replica ${this.index}: ${m.message}`);
        if (m.stack) error.stack = `${error.message}\n(in the replica) ${m.stack}`;
        pending.reject(error);
      } else pending.resolve(m);
    });
    const fail = (error: Error) => {
      this.#failure = error;
      const pending = this.#pending;
      this.#pending = null;
      pending?.reject(error);
    };
    this.#worker.on('error', (e) => fail(new Error(`replica ${this.index} failed: ${e.message}`)));
    this.#worker.on('exit', (code) =>
      fail(new Error(`replica ${this.index} stopped (exit code ${code})`)),
    );
  }

  request(message: ToWorker): Promise<FromWorker> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#pending) return Promise.reject(new Error(`replica ${this.index} is busy`));
    return new Promise((resolve, reject) => {
      this.#pending = { resolve, reject };
      this.#worker.postMessage(message);
    });
  }

  async close(): Promise<void> {
    if (this.#failure) return;
    this.#worker.postMessage({ type: 'close' } satisfies ToWorker);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => void this.terminate().then(resolve), 5000);
      this.#worker.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  async terminate(): Promise<void> {
    await this.#worker.terminate();
  }
}

async function resolveExport(ref: ExportRef, importModule: ModuleImporter): Promise<unknown> {
  const mod = (await importModule(ref.module)) as Record<string, unknown>;
  const value = mod[ref.export];
  if (value === undefined) throw new Error(`"${ref.module}" has no export "${ref.export}"`);
  if (!ref.args) return value;
  if (typeof value !== 'function')
    throw new Error(`"${ref.module}" export "${ref.export}" is not a function`);
  return await (value as (...a: unknown[]) => unknown)(...ref.args);
}

/**
 * The worker side of {@link startReplicas}: call it from the worker entry with an importer
 * that resolves from the app (`serveReplica((s) => import(s))`). Builds the backend and the
 * model on 'init', then per 'step' loads the shared weights, computes loss, outputs and
 * gradients on its share and writes the gradients into its shared buffer.
 */
export async function serveReplica(importModule: ModuleImporter): Promise<void> {
  const { parentPort } = await import('node:worker_threads');
  if (!parentPort) throw new Error('serveReplica must run in a worker thread');
  const port = parentPort;
  let model: Module | null = null;
  let loss: LossFn | null = null;
  let init: Extract<ToWorker, { type: 'init' }> | null = null;
  let weights: Float32Array | null = null;
  let grads: Float32Array | null = null;
  let variables: tf.Variable[] = [];

  const reply = (m: FromWorker) => port.postMessage(m);
  port.on('message', async (message: ToWorker) => {
    try {
      if (message.type === 'close') {
        model?.dispose();
        port.close();
        return;
      }
      if (message.type === 'init') {
        init = message;
        tf.enableProdMode();
        await selectBackend({
          candidates: nodeBackendCandidates(importModule),
          requested: message.backend,
        });
        model = (await resolveExport(message.model, importModule)) as Module;
        loss = (await resolveExport(message.loss, importModule)) as LossFn;
        if (typeof loss !== 'function') throw new Error('the loss export is not a function');
        const state = [...model.stateDict()];
        const mismatch =
          state.length !== message.slots.length ||
          state.some(
            ([name, t], i) =>
              name !== message.slots[i]!.name ||
              t.shape.join(',') !== message.slots[i]!.shape.join(','),
          );
        if (mismatch)
          throw new Error(
            `the replica's model does not match: [${state.map(([n, t]) => `${n}[${t.shape}]`).join(', ')}] vs [${message.slots.map((s) => `${s.name}[${s.shape}]`).join(', ')}]`,
          );
        variables = state.map(([, t]) => t as tf.Variable);
        weights = new Float32Array(message.weights);
        grads = new Float32Array(message.grads);
        model.train();
        reply({ type: 'ready' });
        return;
      }
      if (!model || !loss || !init || !weights || !grads) throw new Error('step before init');
      const { slots, parameterCount } = init;
      for (let i = 0; i < variables.length; i++) {
        const slot = slots[i]!;
        const view = weights.subarray(slot.offset, slot.offset + slot.size);
        tf.tidy(() => variables[i]!.assign(tf.tensor(view, slot.shape as number[], 'float32')));
      }
      const parameters = model.parameters();
      message.trainable.forEach((t, i) => {
        parameters[i]!.trainable = t;
      });
      const trainable = variables.slice(0, parameterCount).filter((_, i) => message.trainable[i]);
      const { share } = message;
      const x = tf.tensor(share.x, share.xShape as number[], 'float32');
      const y = tf.tensor(share.y, share.yShape as number[], share.yDtype);
      let outputs: tf.Tensor | undefined;
      const lossFn = loss;
      const net = model;
      const { value, grads: g } = tf.variableGrads(() => {
        const out = net.forward(x);
        outputs = tf.keep(out);
        return lossFn(out, y);
      }, trainable);
      for (let i = 0; i < parameterCount; i++) {
        if (!message.trainable[i]) continue;
        const grad = g[variables[i]!.name];
        const slot = slots[i]!;
        if (grad) grads.set(grad.dataSync() as Float32Array, slot.offset);
        else grads.fill(0, slot.offset, slot.offset + slot.size);
      }
      const result: FromWorker = {
        type: 'done',
        loss: value.dataSync()[0]!,
        outputs: outputs!.dataSync() as Float32Array,
        outputsShape: outputs!.shape,
      };
      tf.dispose([x, y, value, outputs!, ...Object.values(g)]);
      reply(result);
    } catch (error) {
      const e = error as Error;
      reply({ type: 'error', message: e.message, ...(e.stack ? { stack: e.stack } : {}) });
    }
  });
}
