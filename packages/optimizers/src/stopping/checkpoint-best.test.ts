import '@tensorflow/tfjs-backend-cpu';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { restoreCheckpoint } from '@tunelab/core';
import { RunWriter } from '@tunelab/core/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adam } from '../optimizers/adam.js';
import { checkpointBest } from './checkpoint-best.js';
import { epochLogs, fakeContext, Tiny } from './testing.js';

const root = mkdtempSync(join(tmpdir(), 'tunelab-checkpoint-best-'));

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function newRun(): RunWriter {
  return RunWriter.create(root, {
    name: 'checkpoint-best',
    config: {},
    seed: 1,
    epochs: 4,
    environment: {
      backend: 'cpu',
      backendAttempts: [],
      versions: {},
      platform: 'test',
      arch: 'x',
      cpus: 1,
    },
  });
}

describe('checkpointBest', () => {
  it('writes artifacts/best.safetensors through the run writer when valLoss improves', async () => {
    const writer = newRun();
    const model = new Tiny();
    const optimizer = adam({ lr: 0.1 });
    const { ctx } = fakeContext(model, optimizer);
    const cb = checkpointBest({ writer });
    // best at epoch 2 (0.4); epochs 3 and 4 are worse and must not overwrite it
    const va = [0.5, 0.4, 0.45, 0.41];
    for (const [i, v] of va.entries()) {
      const g = tf.onesLike(model.weight.variable);
      optimizer.applyGradients([[model.weight, g]]); // gives the optimizer state to save
      g.dispose();
      model.set(i + 1); // the weights of epoch e are [e, -e], buffer [10 e]
      await cb.onEpochEnd(epochLogs(i + 1, { valLoss: v }), ctx);
    }
    expect(cb.bestEpoch).toBe(2);
    const path = join(writer.dir, 'artifacts', 'best.safetensors');
    expect(cb.path).toBe(path);
    expect(writer.record.artifacts).toEqual([
      {
        path: 'artifacts/best.safetensors',
        kind: 'application/safetensors',
        description:
          'checkpoint (weights and optimizer state) with the best valLoss, 0.4, at epoch 2',
      },
    ]);

    const restored = new Tiny();
    const restoredOptimizer = adam({ lr: 0.1 });
    const info = restoreCheckpoint(
      new Uint8Array(readFileSync(path)),
      path,
      restored,
      restoredOptimizer,
    );
    expect(restored.values()).toEqual([2, -2, 20]); // epoch 2's weights and buffer
    expect(info.epoch).toBe(2);
    expect(info.metadata).toMatchObject({ monitor: 'valLoss', mode: 'min', value: '0.4' });
    expect(restoredOptimizer.iterations).toBe(2);
    for (const m of [model, restored]) m.dispose();
    optimizer.dispose();
    restoredOptimizer.dispose();
  });

  it('with initialBest (a resumed run) writes only epochs that beat it', async () => {
    const writer = newRun();
    const model = new Tiny();
    const { ctx } = fakeContext(model, adam());
    const cb = checkpointBest({ writer, monitor: 'valAccuracy', initialBest: 0.9 });
    await cb.onEpochEnd(epochLogs(5, { valAccuracy: 0.85 }), ctx);
    expect(writer.record.artifacts).toEqual([]);
    await cb.onEpochEnd(epochLogs(6, { valAccuracy: 0.92 }), ctx);
    expect(cb.bestEpoch).toBe(6);
    expect(writer.record.artifacts).toHaveLength(1);
    model.dispose();
  });

  it('names a bad writer', () => {
    expect(() => checkpointBest({ writer: {} as never })).toThrow(
      'checkpointBest: writer must have a writeArtifact method, got [object Object]',
    );
  });
});
