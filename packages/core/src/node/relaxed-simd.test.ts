import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compareWithCpu,
  Rng,
  RTOL,
  randomInput,
  setUpBackends,
} from '../kernels/compare-with-cpu.js';
import { filterShape, gemmConvCases, outShape } from '../kernels/conv-cases.js';
import { preferRelaxedSimd, simdKernelsBuild } from '../kernels/simd-kernels.js';
import { enableWasmRelaxedSimd, hasWasmRelaxedSimd } from './relaxed-simd.js';

// Node 20 keeps relaxed SIMD behind a V8 flag that enableWasmRelaxedSimd sets at run time; the
// kernels then load their fused multiply-add build. Both builds against the cpu backend.
beforeAll(async () => {
  expect(enableWasmRelaxedSimd()).toBe(true);
  await setUpBackends();
});
afterAll(() => preferRelaxedSimd(true));

describe.each([true, false])('the SIMD kernels with relaxed SIMD preferred: %s', (relaxed) => {
  beforeAll(() => preferRelaxedSimd(relaxed));
  const rng = Rng.fromSeed(8);

  it('loads the build asked for', () => {
    expect(hasWasmRelaxedSimd()).toBe(true);
    expect(simdKernelsBuild()).toBe(relaxed ? 'relaxed' : 'simd');
  });

  it.each(gemmConvCases.slice(0, 5))(
    'convolutions of x $x, filter $filter match cpu',
    async (c) => {
      const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dilations: 1 };
      const forward = await compareWithCpu(
        tf.FusedConv2D,
        {
          x: randomInput(rng, c.x),
          filter: randomInput(rng, filterShape(c)),
          bias: randomInput(rng, [c.filter[2]]),
        },
        { ...attrs, activation: 'relu' },
      );
      const filterGrad = await compareWithCpu(
        tf.Conv2DBackpropFilter,
        { x: randomInput(rng, c.x), dy: randomInput(rng, outShape(c, false)) },
        { ...attrs, filterShape: filterShape(c) },
      );
      const inputGrad = await compareWithCpu(
        tf.Conv2DBackpropInput,
        { dy: randomInput(rng, outShape(c, false)), filter: randomInput(rng, filterShape(c)) },
        { ...attrs, inputShape: c.x },
      );
      for (const result of [forward, filterGrad, inputGrad])
        expect(result.error).toBeLessThan(RTOL);
    },
  );
});
