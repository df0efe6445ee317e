import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareWithCpu, Rng, RTOL, randomInput, setUpBackends } from './compare-with-cpu.js';
import { registerWasmTrainingKernels } from './register.js';
import { setSimdKernelsEnabled } from './simd-kernels.js';

beforeAll(setUpBackends);
afterAll(() => setSimdKernelsEnabled(true));

const rng = Rng.fromSeed(6);

describe.each([true, false])('wasm kernel overrides, SIMD kernels %s', (simd) => {
  beforeAll(() => setSimdKernelsEnabled(simd));

  it.each([
    [[5, 4, 4, 8], [8]],
    [[8], [3, 8]],
    [
      [2, 3, 6],
      [1, 1, 6],
    ],
    [[7, 5], [5]],
    [
      [4, 3],
      [4, 3],
    ],
    [
      [4, 1],
      [4, 3],
    ],
    [[1], [6]],
  ])('Add %j + %j matches cpu', async (a, b) => {
    const result = await compareWithCpu(
      tf.Add,
      { a: randomInput(rng, a), b: randomInput(rng, b) },
      {},
    );
    expect(result.wasmShape).toEqual(result.cpuShape);
    expect(result.error).toBeLessThan(RTOL);
  });

  it.each([
    [[6, 5, 4, 8], [0, 1, 2], false],
    [[6, 5, 4, 19], [0, 1, 2], true],
    [[9, 33], [0], false],
    [[9, 3], [1], false],
    [[4, 3, 2], [1, 2], false],
    [[4, 3, 2], [0, 1, 2], false],
    [[4, 3, 2], [2, 0], true],
    [[5, 6, 7, 8], [1, 2], false],
    [[5, 6, 7, 3], [-3, -2], true],
    [[2, 3, 4, 5, 6], [1, 2, 3], false],
    [[4, 3, 2], [], false],
  ])('Sum and Mean of %j over %j (keepDims %s) match cpu', async (x, axis, keepDims) => {
    for (const kernel of [tf.Sum, tf.Mean]) {
      const result = await compareWithCpu(kernel, { x: randomInput(rng, x) }, { axis, keepDims });
      expect(result.wasmShape).toEqual(result.cpuShape);
      expect(result.error).toBeLessThan(RTOL);
    }
  });

  it.each([
    [
      [1, 1, 1, 8],
      [5, 4, 3, 1],
    ],
    [
      [1, 6],
      [7, 1],
    ],
    [[5], [3]],
    [
      [2, 3],
      [2, 2],
    ],
    [
      [1, 1, 4],
      [1, 3, 1],
    ],
  ])('Tile of %j by %j matches cpu', async (x, reps) => {
    const result = await compareWithCpu(tf.Tile, { x: randomInput(rng, x) }, { reps });
    expect(result.wasmShape).toEqual(result.cpuShape);
    expect(result.error).toBeLessThan(RTOL);
  });

  it.each([
    [[1, 7, 5], [1, 5, 3], false, false],
    [[1, 5, 7], [1, 5, 3], true, false],
    [[1, 7, 5], [1, 3, 5], false, true],
    [[2, 5, 7], [2, 3, 5], true, true],
    [[3, 4, 6], [1, 4, 2], true, false],
    // Narrow products (<= 16 output columns, >= 16 shared): simd/narrow-mat-mul.as, with
    // lengths that are not multiples of 4 or 16, and the 4-row remainder of a^T b.
    [[1, 100, 784], [1, 784, 10], false, false],
    [[1, 37, 19], [1, 19, 16], false, false],
    [[1, 100, 784], [1, 100, 10], true, false],
    [[1, 7, 33], [1, 7, 5], true, false],
    [[1, 6, 18], [1, 6, 1], true, false],
  ])('BatchMatMul %j x %j (transposeA %s, transposeB %s) matches cpu', async (a, b, ta, tb) => {
    const result = await compareWithCpu(
      tf.BatchMatMul,
      { a: randomInput(rng, a), b: randomInput(rng, b) },
      { transposeA: ta, transposeB: tb },
    );
    expect(result.wasmShape).toEqual(result.cpuShape);
    expect(result.error).toBeLessThan(RTOL);
  });

  it.each([
    [[1, 100, 784], [1, 784, 10], 'linear', true],
    [[1, 100, 32], [1, 32, 10], 'relu', true],
    [[1, 9, 21], [1, 21, 3], 'relu', false],
    [[1, 5, 8], [1, 8, 4], 'relu', true], // too short for the narrow kernel: XNNPACK's
    [[1, 50, 64], [1, 64, 32], 'relu', true], // too wide: XNNPACK's
  ])('_FusedMatMul %j x %j, %s, bias %s matches cpu', async (a, b, activation, withBias) => {
    const n = b[2]!;
    const result = await compareWithCpu(
      tf._FusedMatMul,
      {
        a: randomInput(rng, a),
        b: randomInput(rng, b),
        ...(withBias ? { bias: randomInput(rng, [n]) } : {}),
      },
      { transposeA: false, transposeB: false, activation },
    );
    expect(result.wasmShape).toEqual(result.cpuShape);
    expect(result.error).toBeLessThan(RTOL);
  });
});

describe('registerWasmTrainingKernels', () => {
  it('is idempotent: a second call leaves every registered kernel as it was', () => {
    const names = [tf.Conv2DBackpropFilter, tf.MaxPoolGrad, tf.Sum, tf.Add, tf.BatchMatMul];
    const before = names.map((n) => tf.getKernel(n, 'wasm'));
    registerWasmTrainingKernels();
    expect(names.map((n) => tf.getKernel(n, 'wasm'))).toEqual(before);
  });
});

describe('Identity and same-type Cast on wasm', () => {
  it('share the input memory and keep both tensors readable after either is disposed', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor([1, 2, 3, 4], [2, 2]);
    const y = tf.clone(x);
    const z = tf.cast(x, 'float32');
    expect(y.dataId).toBe(x.dataId);
    expect(z.dataId).toBe(x.dataId);
    x.dispose();
    expect(Array.from(await y.data())).toEqual([1, 2, 3, 4]);
    y.dispose();
    expect(Array.from(await z.data())).toEqual([1, 2, 3, 4]);
    z.dispose();
  });

  it('still converts between dtypes', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor([1.7, -2.2, 0], [3]);
    const i = tf.cast(x, 'int32');
    expect(i.dataId).not.toBe(x.dataId);
    expect(Array.from(await i.data())).toEqual([1, -2, 0]);
    tf.dispose([x, i]);
  });
});
