import type { MessagePort } from 'node:worker_threads';

/*
 * What the training thread (coordinator.ts) and each replica thread (worker.ts) exchange: set-up
 * through ordinary messages ('init', 'ready'), steps through a MessageChannel read synchronously
 * and woken by Atomics on a shared control block, weights and gradients through
 * SharedArrayBuffers laid out by {@link Slot}s.
 */

/**
 * Where a replica finds a function: an export of a module, called with `args` when given
 * (a model factory), used as it is otherwise (a loss). The specifier is resolved by the
 * worker entry's importer, so '@tunelab/layers' resolves from the app that owns the entry.
 * `{ module: '@tunelab/layers', export: 'buildZooModel', args: ['cnn4', { classes: 10 }] }`.
 */
export interface ExportRef {
  /** A module specifier or file URL, resolved by the worker entry's importer. */
  readonly module: string;
  /** The export's name. */
  readonly export: string;
  /** JSON-serialisable arguments; the export is called with them when present. */
  readonly args?: readonly unknown[];
}

/** One tensor of the model's state in the shared weights buffer. */
export interface Slot {
  readonly name: string;
  readonly shape: readonly number[];
  /** Offset in float32 elements. */
  readonly offset: number;
  readonly size: number;
}

/** Messages to a replica: set-up once, then one per step. */
export type ToWorker =
  | {
      type: 'init';
      backend: string;
      model: ExportRef;
      loss: ExportRef;
      slots: Slot[];
      parameterCount: number;
      weights: SharedArrayBuffer;
      grads: SharedArrayBuffer;
      control: SharedArrayBuffer;
      port: MessagePort;
    }
  | {
      type: 'step';
      trainable: boolean[];
      /** Views of the replica's shared input buffers (no copy travels with the message). */
      x: Float32Array;
      xShape: number[];
      y: Float32Array | Int32Array;
      yShape: number[];
      yDtype: 'float32' | 'int32';
    };

/** Replies of a replica: ready after set-up, then a result or an error per step. */
export type FromWorker =
  | { type: 'ready' }
  | { type: 'done'; loss: number; outputs: Float32Array; outputsShape: number[] }
  | { type: 'error'; message: string; stack?: string };

/** Spin this long before sleeping: the gap between two steps of one fit is about 1-2 ms. */
export const SPIN_MS = 2;
/** control[] slot of the request sequence (the coordinator increments it to wake the replica). */
export const REQUEST = 0;
/** control[] slot of the reply sequence (the replica sets it to the request it answered). */
export const REPLY = 1;
/** control[] slot of the command: 1 step, 2 close. */
export const COMMAND = 2;

/**
 * Waits until control[index] differs from `seen`: spins for {@link SPIN_MS} (waking a sleeping
 * thread took ~0.6 ms on this 2-vCPU VM, 5-10% of a small CNN's step), then sleeps in
 * Atomics.wait. Returns false after `timeoutMs`.
 */
export function awaitChange(
  control: Int32Array,
  index: number,
  seen: number,
  timeoutMs: number,
): boolean {
  const start = performance.now();
  for (let spins = 0; Atomics.load(control, index) === seen; spins++) {
    if ((spins & 1023) !== 0) continue;
    const elapsed = performance.now() - start;
    if (elapsed > timeoutMs) return false;
    if (elapsed > SPIN_MS) Atomics.wait(control, index, seen, Math.min(100, timeoutMs - elapsed));
  }
  return true;
}
