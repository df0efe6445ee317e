import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { ArrayDataset, fit, meanSquaredError, Rng, type TrainingContext } from '@tunelab/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { sgd } from '../optimizers/sgd.js';
import { stopWhen } from './stop-when.js';
import { epochLogs, fakeContext, Tiny } from './testing.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('stopWhen', () => {
  it('stops at the epoch the criterion names (GL_5 at 6, see prechelt.test.ts)', async () => {
    const model = new Tiny();
    const { ctx, stops } = fakeContext(model, sgd({ lr: 0.1 }));
    const cb = stopWhen({ gl: 5 });
    await cb.onTrainBegin!(ctx);
    const va = [1.0, 0.8, 0.6, 0.5, 0.52, 0.55];
    for (const [i, v] of va.entries()) await cb.onEpochEnd!(epochLogs(i + 1, { valLoss: v }), ctx);
    expect(stops).toEqual([
      { reason: 'stopped', detail: 'GL_5 stopped training at epoch 6: GL = 10 > 5' },
    ]);
    model.dispose();
  });

  it('feeds PQ the training loss, and starts fresh on every training run', async () => {
    const model = new Tiny();
    const { ctx, stops } = fakeContext(model, sgd({ lr: 0.1 }));
    const cb = stopWhen(
      { pq: { alpha: 0.5, k: 2 } },
      { monitor: 'valError', trainingMonitor: 'trainError' },
    );
    const tr = [1.0, 0.8, 0.6, 0.5, 0.45, 0.44];
    const va = [1.0, 0.8, 0.7, 0.6, 0.62, 0.66];
    for (let run = 0; run < 2; run++) {
      await cb.onTrainBegin!(ctx);
      for (let i = 0; i < 6; i++)
        await cb.onEpochEnd!(epochLogs(i + 1, { valError: va[i]!, trainError: tr[i]! }), ctx);
    }
    // PQ at 6 = 10 / 11.364 = 0.88 > 0.5, in both runs
    expect(stops.map((s) => s.detail)).toEqual([
      'PQ_0.5 (k = 2) stopped training at epoch 6: GL / P_k = 10 / 11.36 = 0.88 > 0.5',
      'PQ_0.5 (k = 2) stopped training at epoch 6: GL / P_k = 10 / 11.36 = 0.88 > 0.5',
    ]);
    await expect(async () => cb.onEpochEnd!(epochLogs(7, { valError: 1 }), ctx)).rejects.toThrow(
      'stopWhen: monitored metric "trainError" is not in the epoch\'s metrics (valError)',
    );
    model.dispose();
  });

  it('rejects an empty set of criteria', () => {
    expect(() => stopWhen({})).toThrow('stopWhen: no criterion given');
  });

  it("ends core's fit with stopReason 'stopped' and the criterion in stopDetail", async () => {
    // lr 0: the validation loss never changes, so patience 2 stops after epoch 3
    const rng = Rng.fromSeed(1);
    const data = new ArrayDataset({
      x: rng.normalArray(8),
      y: new Int32Array(8),
      inputShape: [1],
      numClasses: 1,
    });
    const model = new Tiny();
    const history = await fit(model, {
      train: data,
      validation: data,
      loss: (out, y) => meanSquaredError(tf.sum(out, 1), y),
      optimizer: sgd({ lr: 0 }),
      metrics: () => [],
      epochs: 10,
      batchSize: 4,
      rng,
      callbacks: [stopWhen({ patience: 2 })],
    });
    expect(history.epochs).toHaveLength(3);
    expect(history.stopReason).toBe('stopped');
    expect(history.stopDetail).toMatch(
      /^patience 2 stopped training at epoch 3: no improvement for 2 epochs/,
    );
    model.dispose();
  });
});

describe('stopWhen after a resume', () => {
  it('stops at the same epoch as an uninterrupted run once the earlier epochs are replayed', () => {
    const logs = (epoch: number, valLoss: number) => ({
      epoch,
      step: epoch * 10,
      samples: epoch * 100,
      seconds: epoch,
      lr: 0.1,
      metrics: { valLoss, trainLoss: 1 },
    });
    const stops: string[] = [];
    const ctx = {
      stop: (_reason?: string, detail?: string) => void stops.push(detail ?? ''),
    } as unknown as TrainingContext;
    // GL_5: epochs 1-2 improve to 0.8; epoch 3 at 0.86 gives GL = 7.5 > 5.
    const callback = stopWhen({ gl: 5 });
    callback.onTrainBegin?.(ctx);
    callback.onResume?.([logs(1, 1), logs(2, 0.8)], ctx);
    expect(stops).toEqual([]);
    callback.onEpochEnd?.(logs(3, 0.86), ctx);
    expect(stops).toEqual(['GL_5 stopped training at epoch 3: GL = 7.5 > 5']);
  });
});
