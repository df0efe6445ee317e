import { receiveMessageOnPort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import type { ModuleImporter } from '../../backend/candidates.js';
import { nodeBackendCandidates } from '../../backend/candidates.js';
import { selectBackend } from '../../backend/select.js';
import type { Module } from '../../module/module.js';
import { gradientsOfVariables } from '../../ops/fused.js';
import { tensorValues } from '../../ops/tensor-values.js';
import type { LossFn } from '../../train/loss.js';
import {
  awaitChange,
  COMMAND,
  type ExportRef,
  type FromWorker,
  REPLY,
  REQUEST,
  type ToWorker,
} from './protocol.js';

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
  port.once('message', async (message: ToWorker) => {
    let replica: Replica;
    try {
      if (message.type !== 'init') throw new Error(`expected init, got ${message.type}`);
      replica = await Replica.create(message, importModule);
    } catch (error) {
      const e = error as Error;
      port.postMessage({
        type: 'error',
        message: e.message,
        ...(e.stack ? { stack: e.stack } : {}),
      } satisfies FromWorker);
      return;
    }
    port.postMessage({ type: 'ready' } satisfies FromWorker);
    replica.serve();
    port.close();
  });
}

/** The worker's copy of the model and its step loop. */
class Replica {
  /** The shared weights, read before each step. */
  readonly weights: Float32Array;
  /** This replica's shared gradients, written after each step. */
  readonly grads: Float32Array;

  private constructor(
    readonly model: Module,
    readonly loss: LossFn,
    readonly init: Extract<ToWorker, { type: 'init' }>,
    readonly variables: tf.Variable[],
  ) {
    this.weights = new Float32Array(init.weights);
    this.grads = new Float32Array(init.grads);
  }

  static async create(
    init: Extract<ToWorker, { type: 'init' }>,
    importModule: ModuleImporter,
  ): Promise<Replica> {
    tf.enableProdMode();
    await selectBackend({
      candidates: nodeBackendCandidates(importModule),
      requested: init.backend,
    });
    const model = (await resolveExport(init.model, importModule)) as Module;
    const loss = (await resolveExport(init.loss, importModule)) as LossFn;
    if (typeof loss !== 'function') throw new Error('the loss export is not a function');
    const state = [...model.stateDict()];
    const mismatch =
      state.length !== init.slots.length ||
      state.some(
        ([name, t], i) =>
          name !== init.slots[i]!.name || t.shape.join(',') !== init.slots[i]!.shape.join(','),
      );
    if (mismatch)
      throw new Error(
        `the replica's model does not match: [${state.map(([n, t]) => `${n}[${t.shape}]`).join(', ')}] vs [${init.slots.map((s) => `${s.name}[${s.shape}]`).join(', ')}]`,
      );
    model.train();
    return new Replica(
      model,
      loss,
      init,
      state.map(([, t]) => t as tf.Variable),
    );
  }

  /** Serves steps until told to close (blocks this thread: it has nothing else to do). */
  serve(): void {
    const control = new Int32Array(this.init.control);
    const port = this.init.port;
    let seen = 0;
    for (;;) {
      awaitChange(control, REQUEST, seen, Number.POSITIVE_INFINITY);
      seen = Atomics.load(control, REQUEST);
      if (Atomics.load(control, COMMAND) === 2) break;
      const received = receiveMessageOnPort(port);
      let reply: FromWorker;
      try {
        if (!received) throw new Error('woken without a request');
        reply = this.step(received.message as Extract<ToWorker, { type: 'step' }>);
      } catch (error) {
        const e = error as Error;
        reply = { type: 'error', message: e.message, ...(e.stack ? { stack: e.stack } : {}) };
      }
      port.postMessage(reply);
      Atomics.store(control, REPLY, seen);
      Atomics.notify(control, REPLY);
    }
    this.model.dispose();
    port.close();
  }

  step(message: Extract<ToWorker, { type: 'step' }>): FromWorker {
    const { slots, parameterCount } = this.init;
    const { variables, weights, grads } = this;
    for (let i = 0; i < variables.length; i++) {
      const slot = slots[i]!;
      const view = weights.subarray(slot.offset, slot.offset + slot.size);
      tf.tidy(() => variables[i]!.assign(tf.tensor(view, slot.shape as number[], 'float32')));
    }
    const parameters = this.model.parameters();
    message.trainable.forEach((t, i) => {
      parameters[i]!.trainable = t;
    });
    const trainable = variables.slice(0, parameterCount).filter((_, i) => message.trainable[i]);
    const x = tf.tensor(message.x, message.xShape, 'float32');
    const y = tf.tensor(message.y, message.yShape, message.yDtype);
    let outputs: tf.Tensor | undefined;
    const { model, loss } = this;
    const { value, grads: g } = gradientsOfVariables(() =>
      tf.variableGrads(() => {
        const out = model.forward(x);
        outputs = tf.keep(out);
        return loss(out, y);
      }, trainable),
    );
    try {
      for (let i = 0; i < parameterCount; i++) {
        if (!message.trainable[i]) continue;
        const grad = g[variables[i]!.name];
        const slot = slots[i]!;
        if (grad) grads.set(tensorValues(grad), slot.offset);
        else grads.fill(0, slot.offset, slot.offset + slot.size);
      }
      return {
        type: 'done',
        loss: value.dataSync()[0]!,
        outputs: outputs!.dataSync() as Float32Array,
        outputsShape: outputs!.shape,
      };
    } finally {
      tf.dispose([x, y, value, outputs!, ...Object.values(g)]);
    }
  }
}
