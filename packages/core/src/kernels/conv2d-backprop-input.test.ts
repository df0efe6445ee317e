import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareWithCpu, Rng, RTOL, randomInput, setUpBackends } from './compare-with-cpu.js';
import { caseName, convCases, filterShape, gemmConvCases, outShape } from './conv-cases.js';

beforeAll(setUpBackends);

describe('Conv2DBackpropInput on wasm', () => {
  const rng = Rng.fromSeed(2);
  it.each([...convCases, ...gemmConvCases].map((c) => [caseName(c), c] as const))(
    '%s matches cpu',
    async (_, c) => {
      const result = await compareWithCpu(
        tf.Conv2DBackpropInput,
        { dy: randomInput(rng, outShape(c, false)), filter: randomInput(rng, filterShape(c)) },
        { strides: c.strides, pad: c.pad, inputShape: c.x, dataFormat: 'NHWC' },
      );
      expect(result.wasmShape).toEqual(c.x);
      expect(result.error).toBeLessThan(RTOL);
    },
  );
});
