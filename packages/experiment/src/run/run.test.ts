import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { checkRunFiles, MemoryRun, type NewRun, type RunSink } from '@tunelab/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { experimentSchema } from '../schema/experiment.js';
import { halvesData, halvesExperiment, testEnvironment } from '../testing/halves.js';
import { runExperiment } from './run.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A MemoryRun that logs the order of the writes that matter. */
function loggingRun(run: NewRun, log: string[]): MemoryRun {
  const memory = new MemoryRun(run);
  const writeArtifact = memory.writeArtifact.bind(memory);
  const finish = memory.finish.bind(memory);
  memory.writeArtifact = (name, data, kind, description) => {
    log.push(`artifact ${name}`);
    return writeArtifact(name, data, kind, description);
  };
  memory.finish = (status, patch) => {
    log.push(`finish ${status}`);
    finish(status, patch);
  };
  return memory;
}

function filesOf(run: MemoryRun) {
  return {
    record: run.recordText(),
    metrics: run.metricsText(),
    artifacts: new Map(run.artifacts.map((a) => [a.name, a.data] as const)),
  };
}

describe('runExperiment', () => {
  it('trains a layer list into a run that passes the record contract, finishing after its artifacts', async () => {
    const before = tf.memory().numTensors;
    const log: string[] = [];
    let memory: MemoryRun | undefined;
    const experiment = experimentSchema.parse(halvesExperiment);
    const result = await runExperiment(experiment, {
      data: halvesData(),
      createRun: (run) => {
        memory = loggingRun(run, log);
        return memory;
      },
      environment: testEnvironment,
    });
    expect(result.status).toBe('completed');
    expect(result.epochs).toBe(2);
    // 400 examples split 80/10/10: 320 / 40 / 40.
    expect(result.split.sizes).toEqual({ train: 320, validation: 40, test: 40 });
    // The halves are easy: well above chance after two epochs of 20 updates.
    expect(result.final.valAccuracy).toBeGreaterThan(0.9);
    const check = checkRunFiles(filesOf(memory!));
    expect(check.problems).toEqual([]);
    expect(check.metrics.map((m) => m.kind)).toEqual(['epoch', 'epoch']);
    // Every artifact (no PNGs without a rasteriser) is written before the status is set.
    expect(log).toEqual([
      'artifact checkpoint.safetensors',
      'artifact checkpoint.safetensors',
      'artifact learning-curve.svg',
      'artifact confusion-validation.json',
      'artifact model-summary.json',
      'artifact model.safetensors',
      'finish completed',
    ]);
    expect(memory!.record.config).toMatchObject({ model: experiment.model, epochs: 2 });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('gives the same metrics for the same seed', async () => {
    const run = async () =>
      runExperiment(experimentSchema.parse({ ...halvesExperiment, epochs: 1 }), {
        data: halvesData(),
        createRun: (r) => new MemoryRun(r),
        environment: testEnvironment,
      });
    const [a, b] = [await run(), await run()];
    expect(a.final).toEqual(b.final);
    expect(a.split.fingerprint).toBe(b.split.fingerprint);
  });

  it('ends interrupted when stopped, still writing its artifacts first', async () => {
    const controller = new AbortController();
    const log: string[] = [];
    let memory: MemoryRun | undefined;
    const result = await runExperiment(experimentSchema.parse(halvesExperiment), {
      data: halvesData(),
      createRun: (run) => {
        memory = loggingRun(run, log);
        return memory;
      },
      environment: testEnvironment,
      callbacks: [{ onBatchEnd: (logs) => (logs.step === 5 ? controller.abort() : undefined) }],
      signal: controller.signal,
    });
    expect(result.status).toBe('interrupted');
    expect(log.at(-1)).toBe('finish interrupted');
    expect(log).toContain('artifact model.safetensors');
    // Five updates were applied although no epoch ended.
    expect(memory!.record.progress).toMatchObject({ epoch: 0, step: 5 });
    expect(checkRunFiles(filesOf(memory!)).problems).toEqual([]);
  });

  it('records a failure with its message, and rejects', async () => {
    let sink: RunSink | undefined;
    await expect(
      runExperiment(experimentSchema.parse(halvesExperiment), {
        data: halvesData(),
        createRun: (run) => {
          sink = new MemoryRun(run);
          return sink;
        },
        environment: testEnvironment,
        callbacks: [
          {
            onEpochEnd() {
              throw new Error('disk full');
            },
          },
        ],
      }),
    ).rejects.toThrow('disk full');
    expect(sink!.record.status).toBe('failed');
    expect(sink!.record.error?.message).toBe('disk full');
  });

  it('names the layer that does not fit the data before anything is recorded', async () => {
    let created = false;
    const tooSmall = experimentSchema.parse({
      ...halvesExperiment,
      model: { layers: [{ maxPool: 2 }, { maxPool: 2 }, { maxPool: 2 }, { maxPool: 2 }] },
    });
    await expect(
      runExperiment(tooSmall, {
        data: halvesData(),
        createRun: (run) => {
          created = true;
          return new MemoryRun(run);
        },
        environment: testEnvironment,
      }),
    ).rejects.toThrow('model.layers[3] maxPool 2: input 1x1x1 is smaller than the 2x2 window');
    expect(created).toBe(false);
  });
});
