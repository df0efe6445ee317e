import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareWithCpu, Rng, RTOL, randomInput, setUpBackends } from './compare-with-cpu.js';
import { caseName, convCases, filterShape, gemmConvCases, outShape } from './conv-cases.js';
import { setSimdKernelsEnabled } from './simd-kernels.js';

beforeAll(setUpBackends);
afterAll(() => setSimdKernelsEnabled(true));

describe.each([true, false])('Conv2DBackpropFilter on wasm, SIMD kernels %s', (simd) => {
  beforeAll(() => setSimdKernelsEnabled(simd));
  const rng = Rng.fromSeed(1);
  it.each([...convCases, ...gemmConvCases].map((c) => [caseName(c), c] as const))(
    '%s matches cpu',
    async (_, c) => {
      const result = await compareWithCpu(
        tf.Conv2DBackpropFilter,
        { x: randomInput(rng, c.x), dy: randomInput(rng, outShape(c, false)) },
        { strides: c.strides, pad: c.pad, filterShape: filterShape(c), dataFormat: 'NHWC' },
      );
      expect(result.wasmShape).toEqual(filterShape(c));
      expect(result.error).toBeLessThan(RTOL);
    },
  );

  it('rejects NCHW, naming what it got', async () => {
    await tf.setBackend('wasm');
    const x = tf.zeros([1, 4, 4, 1]);
    const dy = tf.zeros([1, 4, 4, 1]);
    const attrs = { strides: 1, pad: 'same', filterShape: [1, 1, 1, 1], dataFormat: 'NCHW' };
    expect(() => tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy }, attrs)).toThrow(
      /NHWC, got NCHW/,
    );
    tf.dispose([x, dy]);
  });
});
