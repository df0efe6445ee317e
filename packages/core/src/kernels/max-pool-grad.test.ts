import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compareWithCpu,
  type InputSpec,
  Rng,
  RTOL,
  randomInput,
  setUpBackends,
} from './compare-with-cpu.js';
import { setSimdKernelsEnabled } from './simd-kernels.js';

beforeAll(setUpBackends);
afterAll(() => setSimdKernelsEnabled(true));

interface PoolCase {
  x: [number, number, number, number];
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'same' | 'valid' | number;
}

const cases: PoolCase[] = [
  { x: [1, 4, 4, 1], filterSize: 2, strides: 2, pad: 'valid' },
  { x: [3, 28, 28, 8], filterSize: 2, strides: 2, pad: 'valid' },
  { x: [2, 6, 4, 12], filterSize: 2, strides: 2, pad: 'same' },
  { x: [2, 7, 7, 3], filterSize: 2, strides: 2, pad: 'same' },
  { x: [2, 9, 8, 2], filterSize: 3, strides: 2, pad: 'same' },
  { x: [2, 9, 9, 2], filterSize: 3, strides: 1, pad: 'valid' },
  { x: [1, 8, 10, 3], filterSize: [2, 3], strides: [1, 2], pad: 1 },
];

/** Inputs whose windows hold ties (ReLU zeros), where the chosen position matters. */
function withTies(rng: Rng, shape: number[]): InputSpec {
  const spec = randomInput(rng, shape);
  spec.values = spec.values.map((v) => Math.max(0, v));
  return spec;
}

/** Inputs with NaN and -Infinity in some windows (neither may take the gradient). */
function withSpecials(rng: Rng, shape: number[]): InputSpec {
  const spec = withTies(rng, shape);
  spec.values = spec.values.map((v, i) => (i % 7 === 3 ? Number.NaN : i % 5 === 1 ? -Infinity : v));
  return spec;
}

describe.each([true, false])('MaxPoolGrad on wasm, SIMD kernels %s', (simd) => {
  beforeAll(() => setSimdKernelsEnabled(simd));
  const rng = Rng.fromSeed(5);
  it.each(cases.map((c) => [JSON.stringify(c), c] as const))('%s matches cpu', async (_, c) => {
    for (const input of [randomInput(rng, c.x), withTies(rng, c.x), withSpecials(rng, c.x)]) {
      const info = tf.backend_util.computePool2DInfo(c.x, c.filterSize, c.strides, 1, c.pad);
      const result = await compareWithCpu(
        tf.MaxPoolGrad,
        { dy: randomInput(rng, info.outShape), input, output: randomInput(rng, info.outShape) },
        { filterSize: c.filterSize, strides: c.strides, pad: c.pad },
      );
      expect(result.wasmShape).toEqual(c.x);
      expect(result.error).toBeLessThan(RTOL);
    }
  });
});
