import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { PartialConv2D } from '../layers/partial-conv2d.js';
import { outputShapeOf } from '../summary/summarize.js';
import { fixedBatch, trainSteps } from '../testing/train-steps.js';
import { LENET5_C3_TABLE, lenet5 } from './lenet5.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('lenet5', () => {
  it('has 60,000 trainable parameters up to F6 and 60,850 with the 84 -> 10 output', () => {
    // 156 (C1) + 12 (S2) + 1,516 (C3) + 32 (S4) + 48,120 (C5) + 10,164 (F6) = 60,000
    expect(lenet5({ head: false }).parameterCount('trainable')).toBe(60_000);
    // + 84*10 + 10 = 850
    expect(lenet5().parameterCount('trainable')).toBe(60_850);
  });

  it('wires C3 by Table I: 6 maps of 3 inputs, 9 of 4, 1 of 6', () => {
    const model = lenet5();
    const c3 = model.layers[4] as PartialConv2D;
    expect(c3).toBeInstanceOf(PartialConv2D);
    expect(LENET5_C3_TABLE.map((row) => row.length)).toEqual([
      3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 6,
    ]);
    // every S2 map feeds exactly 10 C3 maps (60 connections / 6)
    for (let i = 0; i < 6; i++)
      expect(LENET5_C3_TABLE.filter((row) => row.includes(i)).length).toBe(10);
    expect(c3.parameterCount()).toBe(1_516);
    model.dispose();
  });

  it('maps [batch, 32, 32, 1] to [batch, 10] and trains', () => {
    const model = lenet5({ seed: 2 });
    const batch = fixedBatch([32, 32, 1], 2, 10);
    const y = tf.tidy(() => model.forward(batch.x));
    expect(y.shape).toEqual([2, 10]);
    const { losses } = trainSteps(model, batch, 3, 0.01);
    expect(losses[3]).toBeLessThan(losses[0]!);
    tf.dispose([y, batch.x, batch.labels]);
    model.dispose();
  });

  it('ends at F6 ([84]) without the head', () => {
    expect(outputShapeOf(lenet5({ head: false }), [32, 32, 1])).toEqual([84]);
  });
});
