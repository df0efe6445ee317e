import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareWithCpu, Rng, RTOL, randomInput, setUpBackends } from './compare-with-cpu.js';
import { type ConvCase, caseName, convCases, filterShape, outShape } from './conv-cases.js';
import { setSimdKernelsEnabled } from './simd-kernels.js';

beforeAll(setUpBackends);
afterAll(() => setSimdKernelsEnabled(true));

/** Above 32 channels the kernel switches to its per-channel path. */
const manyChannels: ConvCase[] = [
  { x: [2, 6, 6, 33], filter: [3, 3, 1], strides: 1, pad: 'same' },
  { x: [1, 7, 7, 40], filter: [3, 3, 2], strides: 2, pad: 'valid' },
  { x: [2, 8, 8, 36], filter: [2, 2, 1], strides: 2, pad: 'same' },
];

describe.each([true, false])(
  'DepthwiseConv2dNativeBackpropFilter on wasm, SIMD kernels %s',
  (simd) => {
    beforeAll(() => setSimdKernelsEnabled(simd));
    const rng = Rng.fromSeed(3);
    const cases = [...convCases, ...manyChannels];
    it.each(cases.map((c) => [caseName(c), c] as const))('%s matches cpu', async (_, c) => {
      const result = await compareWithCpu(
        tf.DepthwiseConv2dNativeBackpropFilter,
        { x: randomInput(rng, c.x), dy: randomInput(rng, outShape(c, true)) },
        { strides: c.strides, pad: c.pad, filterShape: filterShape(c), dilations: 1 },
      );
      expect(result.wasmShape).toEqual(filterShape(c));
      expect(result.error).toBeLessThan(RTOL);
    });

    it('rejects dilations above 1, as tfjs gradients do', async () => {
      await tf.setBackend('wasm');
      const x = tf.zeros([1, 6, 6, 1]);
      const dy = tf.zeros([1, 6, 6, 1]);
      const attrs = { strides: 1, pad: 'same', filterShape: [3, 3, 1, 1], dilations: 2 };
      expect(() =>
        tf.engine().runKernel(tf.DepthwiseConv2dNativeBackpropFilter, { x, dy }, attrs),
      ).toThrow(/dilations 1, got 2/);
      tf.dispose([x, dy]);
    });
  },
);
