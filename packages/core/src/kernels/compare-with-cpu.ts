// Test helpers: run one kernel on the wasm backend (with our kernels) and on the cpu backend
// (tfjs's reference implementation) with the same inputs, and compare.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import type { NamedAttrMap } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../random/rng.js';
import { registerWasmTrainingKernels } from './register.js';

/** Relative tolerance of every comparison: max |wasm - cpu| <= RTOL * max |cpu|. */
export const RTOL = 1e-4;

/** Initialises both backends and registers our kernels; ends with wasm active. */
export async function setUpBackends(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.setBackend('wasm');
  await tf.ready();
  registerWasmTrainingKernels();
}

/** A kernel input: shape and values, created afresh on each backend. */
export interface InputSpec {
  shape: number[];
  values: Float32Array;
}

/** Random normal values for `shape`, from a seeded generator. */
export function randomInput(rng: Rng, shape: number[]): InputSpec {
  return { shape, values: rng.normalArray(shape.reduce((a, b) => a * b, 1)) };
}

/** Runs a kernel on `backend` and reads its output. */
export async function runOn(
  backend: 'cpu' | 'wasm',
  kernelName: string,
  inputs: Record<string, InputSpec>,
  attrs: object,
): Promise<{ shape: number[]; values: Float32Array }> {
  await tf.setBackend(backend);
  const tensors = Object.fromEntries(
    Object.entries(inputs).map(([name, spec]) => [name, tf.tensor(spec.values, spec.shape)]),
  );
  const out = tf.engine().runKernel(kernelName, tensors, attrs as NamedAttrMap) as tf.Tensor;
  const values = (await out.data()) as Float32Array;
  const shape = out.shape;
  tf.dispose([out, ...Object.values(tensors)]);
  return { shape, values };
}

/** max |actual - expected| / max |expected| (0 when both are all zeros). */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) {
    throw new Error(`length ${actual.length} differs from the expected ${expected.length}`);
  }
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  if (Number.isNaN(diff)) return Number.POSITIVE_INFINITY;
  return scale === 0 ? diff : diff / scale;
}

/** The kernel's wasm and cpu results, with their shapes and relative error. */
export async function compareWithCpu(
  kernelName: string,
  inputs: Record<string, InputSpec>,
  attrs: object,
): Promise<{ wasmShape: number[]; cpuShape: number[]; error: number }> {
  const cpu = await runOn('cpu', kernelName, inputs, attrs);
  const wasm = await runOn('wasm', kernelName, inputs, attrs);
  return {
    wasmShape: wasm.shape,
    cpuShape: cpu.shape,
    error: relativeError(wasm.values, cpu.values),
  };
}

export { Rng };
