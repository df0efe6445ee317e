import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareWithCpu, Rng, RTOL, randomInput, setUpBackends } from './compare-with-cpu.js';
import {
  caseName,
  convCases,
  filterShape,
  gemmConvCases,
  outShape,
  singleChannelConvCases,
} from './conv-cases.js';
import { setSimdKernelsEnabled } from './simd-kernels.js';

// The forward convolutions of kernels/conv2d.ts (im2col chunks times simd/gemm.as) against the
// cpu backend; with the SIMD kernels off, tfjs-backend-wasm's own (XNNPACK) runs instead.
beforeAll(setUpBackends);
afterAll(() => setSimdKernelsEnabled(true));

const cases = [...convCases, ...gemmConvCases, ...singleChannelConvCases].map(
  (c) => [caseName(c), c] as const,
);

describe.each([true, false])('forward convolutions on wasm, SIMD kernels %s', (simd) => {
  beforeAll(() => setSimdKernelsEnabled(simd));
  const rng = Rng.fromSeed(4);

  it.each(cases)('Conv2D %s matches cpu', async (_, c) => {
    const result = await compareWithCpu(
      tf.Conv2D,
      { x: randomInput(rng, c.x), filter: randomInput(rng, filterShape(c)) },
      { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dilations: 1 },
    );
    expect(result.wasmShape).toEqual(outShape(c, false));
    expect(result.error).toBeLessThan(RTOL);
  });

  it.each(cases)('FusedConv2D with bias and relu %s matches cpu', async (_, c) => {
    const result = await compareWithCpu(
      tf.FusedConv2D,
      {
        x: randomInput(rng, c.x),
        filter: randomInput(rng, filterShape(c)),
        bias: randomInput(rng, [c.filter[2]]),
      },
      { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dilations: 1, activation: 'relu' },
    );
    expect(result.wasmShape).toEqual(outShape(c, false));
    expect(result.error).toBeLessThan(RTOL);
  });

  it('FusedConv2D without bias, linear, and with elu (handed to XNNPACK) match cpu', async () => {
    const c = gemmConvCases[1]!;
    for (const activation of ['linear', 'elu']) {
      const result = await compareWithCpu(
        tf.FusedConv2D,
        { x: randomInput(rng, c.x), filter: randomInput(rng, filterShape(c)) },
        { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dilations: 1, activation },
      );
      expect(result.error, activation).toBeLessThan(RTOL);
    }
  });
});
