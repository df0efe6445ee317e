import {
  MessageChannel,
  type MessagePort,
  receiveMessageOnPort,
  Worker,
} from 'node:worker_threads';
import type * as tf from '@tensorflow/tfjs-core';
import type { Module } from '../../module/module.js';
import { tensorValues } from '../../ops/tensor-values.js';
import type { GradientReplicas, ReplicaResult } from '../../train/replicas.js';
import {
  awaitChange,
  COMMAND,
  type ExportRef,
  type FromWorker,
  REPLY,
  REQUEST,
  type Slot,
  type ToWorker,
} from './protocol.js';

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
  let lastTrainable: boolean[] = [];
  const replicas = Array.from({ length: options.count }, (_, i) => {
    const gradsBuffer = new SharedArrayBuffer(Math.max(1, paramFloats) * 4);
    return new ReplicaThread(i + 1, options.worker, new Float32Array(gradsBuffer), gradsBuffer);
  });
  try {
    await Promise.all(
      replicas.map((r) =>
        r.init({
          type: 'init',
          backend: options.backend,
          model: options.model,
          loss: options.loss,
          slots,
          parameterCount,
          weights: weightsBuffer,
          grads: r.gradsBuffer,
          control: r.control.buffer as SharedArrayBuffer,
          port: r.transferPort,
        }),
      ),
    );
  } catch (error) {
    await Promise.all(replicas.map((r) => r.terminate()));
    throw error;
  }

  let sent = 0;
  return {
    count: options.count,
    send(current, shares) {
      if (sent > 0) throw new Error('replicas: send() twice without receive()');
      if (shares.length > replicas.length)
        throw new Error(`replicas: ${shares.length} shares for ${replicas.length} replicas`);
      const parameters = current.parameters();
      const state = current.stateDict();
      if (state.size !== slots.length)
        throw new Error('replicas: the model no longer has the parameters it started with');
      if (shares.length > 0) {
        let i = 0;
        for (const t of state.values()) weights.set(tensorValues(t), slots[i++]!.offset);
      }
      const trainable = parameters.map((p) => p.trainable);
      shares.forEach((share, k) => {
        const replica = replicas[k]!;
        const { x, y } = share;
        if (y.dtype !== 'float32' && y.dtype !== 'int32')
          throw new Error(`replicas: labels must be float32 or int32, got ${y.dtype}`);
        const xs = replica.inputs.take('x', 'float32', x.size) as Float32Array;
        xs.set(tensorValues(x));
        const ys = replica.inputs.take('y', y.dtype, y.size);
        ys.set(tensorValues(y));
        replica.post({
          type: 'step',
          trainable,
          x: xs,
          xShape: x.shape,
          y: ys,
          yShape: y.shape,
          yDtype: y.dtype,
        });
      });
      sent = shares.length;
      lastTrainable = trainable;
    },
    async receive() {
      const count = sent;
      sent = 0;
      const results: ReplicaResult[] = [];
      let failure: Error | null = null;
      for (let k = 0; k < count; k++) {
        const replica = replicas[k]!;
        let reply: FromWorker;
        try {
          reply = replica.take();
        } catch (error) {
          failure ??= error as Error;
          continue;
        }
        if (reply.type === 'error') {
          failure ??= replica.errorOf(reply);
          continue;
        }
        if (reply.type !== 'done') throw new Error('replicas: unexpected reply');
        const grads = new Map<number, Float32Array>();
        for (let p = 0; p < parameterCount; p++) {
          if (!lastTrainable[p]) continue;
          const slot = slots[p]!;
          grads.set(p, replica.grads.subarray(slot.offset, slot.offset + slot.size));
        }
        results.push({
          grads,
          loss: reply.loss,
          outputs: reply.outputs,
          outputsShape: reply.outputsShape,
        });
      }
      if (failure) throw failure;
      return results;
    },
    async close() {
      await Promise.all(replicas.map((r) => r.close()));
    },
  };
}

/** A replica's result that has not arrived after this long counts as a failure (a ResNet-18 step on wasm takes ~10 s). */
const REPLY_TIMEOUT_MS = 30 * 60_000;

/**
 * Growable typed-array views on SharedArrayBuffers, one per name and dtype: a step's share is
 * written here and the message carries views of it, so nothing is copied by postMessage nor
 * allocated per step (with per-step copies the main thread ran 54-66 full collections per
 * 1,200 cnn4 steps, with views 34-50; one thread alone runs 1).
 */
class SharedInputs {
  readonly #buffers = new Map<string, Float32Array | Int32Array>();

  /** A view of `size` elements, on a buffer at least that large (grown by doubling). */
  take(name: string, dtype: 'float32' | 'int32', size: number): Float32Array | Int32Array {
    const key = `${name}:${dtype}`;
    let buffer = this.#buffers.get(key);
    if (!buffer || buffer.length < size) {
      const length = Math.max(size, 2 * (buffer?.length ?? 0), 1024);
      const shared = new SharedArrayBuffer(length * 4);
      buffer = dtype === 'float32' ? new Float32Array(shared) : new Int32Array(shared);
      this.#buffers.set(key, buffer);
    }
    return buffer.subarray(0, size);
  }
}

/**
 * One worker thread. Set-up ('init', 'ready') goes through ordinary messages; steps go
 * through a MessageChannel read synchronously on both sides (receiveMessageOnPort), woken by
 * Atomics on a shared control block, so no event-loop turn sits between the threads.
 */
class ReplicaThread {
  readonly #worker: Worker;
  readonly #port: MessagePort;
  readonly control = new Int32Array(new SharedArrayBuffer(16));
  /** Where this replica's shares are written. */
  readonly inputs = new SharedInputs();
  #sequence = 0;
  #pending: { resolve(m: FromWorker): void; reject(e: Error): void } | null = null;
  #failure: Error | null = null;
  #closed = false;

  constructor(
    readonly index: number,
    entry: URL,
    readonly grads: Float32Array,
    readonly gradsBuffer: SharedArrayBuffer,
  ) {
    this.#worker = new Worker(entry);
    const channel = new MessageChannel();
    this.#port = channel.port1;
    this.transferPort = channel.port2;
    this.#worker.on('message', (m: FromWorker) => {
      const pending = this.#pending;
      this.#pending = null;
      if (!pending) return;
      if (m.type === 'error') pending.reject(this.errorOf(m));
      else pending.resolve(m);
    });
    const fail = (error: Error) => {
      this.#failure = error;
      const pending = this.#pending;
      this.#pending = null;
      pending?.reject(error);
    };
    this.#worker.on('error', (e) => fail(new Error(`replica ${this.index} failed: ${e.message}`)));
    this.#worker.on('exit', (code) => {
      if (!this.#closed) fail(new Error(`replica ${this.index} stopped (exit code ${code})`));
    });
  }

  /** The worker's end of the step channel, sent with 'init'. */
  readonly transferPort: MessagePort;

  errorOf(m: Extract<FromWorker, { type: 'error' }>): Error {
    const error = new Error(`replica ${this.index}: ${m.message}`);
    if (m.stack) error.stack = `${error.message}\n(in the replica) ${m.stack}`;
    return error;
  }

  /** Set-up request over ordinary messages. */
  init(message: Extract<ToWorker, { type: 'init' }>): Promise<FromWorker> {
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise((resolve, reject) => {
      this.#pending = { resolve, reject };
      this.#worker.postMessage(message, [message.port]);
    });
  }

  /** Starts a step: the message first, then the wake-up. */
  post(message: ToWorker): void {
    if (this.#failure) throw this.#failure;
    this.#port.postMessage(message);
    this.#sequence++;
    Atomics.store(this.control, COMMAND, 1);
    Atomics.store(this.control, REQUEST, this.#sequence);
    Atomics.notify(this.control, REQUEST);
  }

  /** Blocks until the step's reply is in, and returns it. */
  take(): FromWorker {
    if (this.#failure) throw this.#failure;
    if (!awaitChange(this.control, REPLY, this.#sequence - 1, REPLY_TIMEOUT_MS))
      throw new Error(`replica ${this.index} sent no result in ${REPLY_TIMEOUT_MS / 60_000} min`);
    const received = receiveMessageOnPort(this.#port);
    if (!received) throw new Error(`replica ${this.index} signalled a result but sent none`);
    return received.message as FromWorker;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#failure) return this.terminate();
    const exited = new Promise<void>((resolve) => this.#worker.once('exit', () => resolve()));
    Atomics.store(this.control, COMMAND, 2);
    Atomics.add(this.control, REQUEST, 1);
    Atomics.notify(this.control, REQUEST);
    const timer = setTimeout(() => void this.terminate(), 5000);
    await exited;
    clearTimeout(timer);
    this.#port.close();
  }

  async terminate(): Promise<void> {
    this.#closed = true;
    await this.#worker.terminate();
  }
}
