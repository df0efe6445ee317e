import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareWithCpu, Rng, RTOL, randomInput, setUpBackends } from './compare-with-cpu.js';
import { caseName, filterShape, gemmConvCases, outShape, winogradConvCases } from './conv-cases.js';
import { setSimdKernelsEnabled } from './simd-kernels.js';
import { setWinogradEnabled, winogradFits } from './winograd.js';

// The Winograd F(2x2, 3x3) convolutions of winograd.ts (simd/winograd.as) against the cpu
// backend, forward and both gradients; and the im2col path they replace, with them turned off.
beforeAll(setUpBackends);
afterAll(() => {
  setSimdKernelsEnabled(true);
  setWinogradEnabled(true);
});

const info = (c: (typeof winogradConvCases)[number]) =>
  tf.backend_util.computeConv2DInfo(c.x, filterShape(c), c.strides, 1, c.pad);

describe.each([
  ['Winograd', true, winogradConvCases],
  ['im2col (Winograd off)', false, [...winogradConvCases, ...gemmConvCases]],
] as const)('3x3 convolutions on wasm, %s', (_, winograd, cases) => {
  beforeAll(() => {
    setSimdKernelsEnabled(true);
    setWinogradEnabled(winograd);
  });
  const rng = Rng.fromSeed(11);
  const named = cases.map((c) => [caseName(c), c] as const);

  it.each(named)('%s: which path runs', (_, c) => {
    expect(winogradFits(info(c))).toBe(winograd && winogradConvCases.includes(c));
  });

  it.each(named)('FusedConv2D (bias, relu) %s matches cpu', async (_, c) => {
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

  it.each(named)('Conv2D %s matches cpu', async (_, c) => {
    const result = await compareWithCpu(
      tf.Conv2D,
      { x: randomInput(rng, c.x), filter: randomInput(rng, filterShape(c)) },
      { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dilations: 1 },
    );
    expect(result.error).toBeLessThan(RTOL);
  });

  it.each(named)('Conv2DBackpropInput %s matches cpu', async (_, c) => {
    const result = await compareWithCpu(
      tf.Conv2DBackpropInput,
      { dy: randomInput(rng, outShape(c, false)), filter: randomInput(rng, filterShape(c)) },
      { strides: c.strides, pad: c.pad, inputShape: c.x, dataFormat: 'NHWC', dilations: 1 },
    );
    expect(result.wasmShape).toEqual(c.x);
    expect(result.error).toBeLessThan(RTOL);
  });

  it.each(named)('Conv2DBackpropFilter %s matches cpu', async (_, c) => {
    const result = await compareWithCpu(
      tf.Conv2DBackpropFilter,
      { x: randomInput(rng, c.x), dy: randomInput(rng, outShape(c, false)) },
      { strides: c.strides, pad: c.pad, filterShape: filterShape(c), dataFormat: 'NHWC' },
    );
    expect(result.wasmShape).toEqual(filterShape(c));
    expect(result.error).toBeLessThan(RTOL);
  });
});
