import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunWriter } from '@tunelab/core/node';
import type { EpochEntry, ModelSummary, RunEnvironment } from '@tunelab/core/record';
import { KNOWN_DATASETS } from '@tunelab/datasets';
import type { SweepState } from '../../sweep/state.js';

/** Test data: a runs directory with plain runs, a sweep of four trials and a broken run. */

export const environment: RunEnvironment = {
  backend: 'wasm',
  backendAttempts: [
    {
      name: 'wasm',
      packageName: '@tensorflow/tfjs-backend-wasm',
      outcome: 'chosen',
      detail: 'loaded',
    },
  ],
  versions: { node: 'v20', 'tfjs-core': '4.22.0', tunelab: '0.1.0' },
  platform: 'linux',
  arch: 'x64',
  cpus: 2,
};

const CLASSES = KNOWN_DATASETS['fashion-mnist']!.classes;

/** Epoch line `epoch` of a run that learns at `rate` (accuracy rises toward 0.9). */
export function epochLine(epoch: number, rate = 1): EpochEntry {
  const acc = 0.9 - 0.5 / (1 + rate * epoch);
  return {
    kind: 'epoch',
    epoch,
    step: epoch * 100,
    samples: epoch * 6400,
    seconds: epoch * 2,
    lr: 0.01,
    time: new Date(Date.UTC(2026, 10, 1, 10, epoch)).toISOString(),
    metrics: {
      trainLoss: 1 / (1 + rate * epoch),
      trainAccuracy: acc + 0.02,
      valLoss: 1.1 / (1 + rate * epoch),
      valAccuracy: acc,
    },
  };
}

/** Options of one fixture run. */
export interface FixtureRun {
  id: string;
  name: string;
  epochs: number;
  model?: string;
  dataset?: string;
  lr?: number;
  rate?: number;
  tags?: string[];
  /** Leave the run 'running' with this many epochs written. */
  runningAt?: number;
}

/** Writes one finished (or running) run under `root` through core's RunWriter. */
export function writeFixtureRun(root: string, run: FixtureRun): RunWriter {
  const model = run.model ?? 'mlp';
  const dataset = run.dataset ?? 'fashion-mnist';
  const writer = RunWriter.create(root, {
    id: run.id,
    name: run.name,
    config: {
      name: run.name,
      model: { name: model },
      optimizer: { name: 'adam', lr: run.lr ?? 0.001 },
      data: { dataset },
      epochs: run.epochs,
      batchSize: 64,
      ...(run.tags ? { tags: run.tags } : {}),
    },
    seed: 42,
    environment,
    data: { dataset, classes: CLASSES, inputShape: [28, 28, 1] },
    epochs: run.epochs,
  });
  const done = run.runningAt ?? run.epochs;
  let best: { metric: string; value: number; epoch: number } | undefined;
  for (let e = 1; e <= done; e++) {
    const line = epochLine(e, run.rate ?? 1);
    writer.appendMetrics(line);
    const value = line.metrics.valAccuracy!;
    if (!best || value > best.value) best = { metric: 'valAccuracy', value, epoch: e };
  }
  const last = done > 0 ? epochLine(done, run.rate ?? 1) : undefined;
  writer.update({
    progress: { epoch: done, epochs: run.epochs, step: done * 100 },
    ...(last ? { final: last.metrics } : {}),
    ...(best ? { best } : {}),
  });
  if (run.runningAt === undefined) writer.finish('completed');
  return writer;
}

/** Artifacts the run page shows: a confusion matrix and a model summary. */
function writeArtifacts(writer: RunWriter): void {
  const matrix = CLASSES.map((_, i) => CLASSES.map((__, j) => (i === j ? 80 : (i + j) % 3)));
  writer.writeArtifact(
    'confusion-validation.json',
    JSON.stringify({ split: 'validation', classes: CLASSES, matrix }),
    'application/json',
    'confusion matrix',
  );
  // Typed by the record contract, so the fixture cannot drift from what runs write.
  const summary: ModelSummary = {
    model: 'Sequential',
    inputShape: [28, 28, 1],
    outputShape: [10],
    layers: [
      {
        name: 'flatten',
        activations: 784,
        type: 'Flatten',
        outputShape: [784],
        params: 0,
        trainableParams: 0,
        frozenParams: 0,
        macs: 0,
        connections: 0,
        receptiveField: [1, 1],
      },
      {
        name: 'fc1',
        activations: 128,
        type: 'Linear',
        outputShape: [128],
        params: 100480,
        trainableParams: 100480,
        frozenParams: 0,
        macs: 100352,
        connections: 100480,
        receptiveField: null,
      },
      {
        name: 'fc2',
        activations: 10,
        type: 'Linear',
        outputShape: [10],
        params: 1290,
        trainableParams: 1290,
        frozenParams: 0,
        macs: 1280,
        connections: 1290,
        receptiveField: null,
      },
    ],
    totals: {
      params: 101770,
      trainableParams: 101770,
      frozenParams: 0,
      macs: 101632,
      connections: 101770,
      activations: 922,
    },
  };
  writer.writeArtifact(
    'model-summary.json',
    JSON.stringify(summary),
    'application/json',
    'per-layer shapes and parameters',
  );
}

/** The sweep of the fixture: models x learning rates, trial tNN in sweep-demo-0a1b2c3d/. */
export const SWEEP_ID = 'sweep-demo-0a1b2c3d';
export const SWEEP_TRIALS = [
  { id: 't01', model: 'mlp', lr: 0.01, rate: 0.5, epochs: 4 },
  { id: 't02', model: 'mlp', lr: 0.001, rate: 1, epochs: 4 },
  { id: 't03', model: 'cnn4', lr: 0.01, rate: 2, epochs: 4 },
  { id: 't04', model: 'cnn4', lr: 0.001, rate: 3, epochs: 4 },
] as const;

/**
 * Creates `<tmp>/runs` (the fixture) and, outside it, `<tmp>/secret.txt` and a run
 * `<tmp>/outside-run` that `<tmp>/runs/linked` links to: none of these may be served.
 */
export function createFixtureRuns(): string {
  const base = mkdtempSync(join(tmpdir(), 'tunelab-ui-'));
  const root = join(base, 'runs');
  mkdirSync(root);
  writeFileSync(join(base, 'secret.txt'), 'not for the API');
  writeFixtureRun(base, { id: 'outside-run', name: 'outside', epochs: 1 });
  symlinkSync(join(base, 'outside-run'), join(root, 'linked'));
  writeArtifacts(
    writeFixtureRun(root, {
      id: '20261101-100000-alpha-aaaa',
      name: 'alpha',
      epochs: 5,
      tags: ['baseline'],
    }),
  );
  writeFixtureRun(root, {
    id: '20261101-110000-beta-bbbb',
    name: 'beta',
    epochs: 3,
    model: 'cnn4',
    dataset: 'mnist',
    rate: 2,
  });
  const sweepDir = join(root, SWEEP_ID);
  const trials = SWEEP_TRIALS.map((t) => {
    const writer = writeFixtureRun(sweepDir, {
      id: t.id,
      name: `demo-${t.id}`,
      epochs: t.epochs,
      model: t.model,
      lr: t.lr,
      rate: t.rate,
    });
    const best = writer.record.best!;
    return {
      id: t.id,
      label: `model=${t.model} lr=${t.lr}`,
      axes: { model: t.model, lr: String(t.lr) },
      overrides: { model: { name: t.model }, 'optimizer.lr': t.lr, epochs: t.epochs },
      // As sweep.trials writes them: each cell titled with its own values.
      title: `${t.epochs} epochs, lr ${t.lr}`,
      status: 'done' as const,
      targetEpochs: t.epochs,
      best: { value: best.value, epoch: best.epoch },
    };
  });
  const top = [...trials].sort((a, b) => b.best.value - a.best.value)[0]!;
  const state: SweepState = {
    format: 'tunelab.sweep/1',
    name: 'demo',
    file: '/examples/demo-sweep.ts',
    digest: '0a1b2c3d',
    createdAt: '2026-11-01T12:00:00.000Z',
    updatedAt: '2026-11-01T12:30:00.000Z',
    status: 'completed',
    metric: 'valAccuracy',
    mode: 'max',
    rungs: null,
    trials,
    selection: {
      trial: top.id,
      value: top.best.value,
      epoch: top.best.epoch,
      metric: 'valAccuracy',
    },
  };
  writeFileSync(join(sweepDir, 'sweep.json'), JSON.stringify(state, null, 2));
  const broken = join(root, '20261101-090000-broken-cccc');
  mkdirSync(broken);
  writeFileSync(join(broken, 'run.json'), '{"format":"tunelab.run/1","id":"x"}');
  return root;
}
