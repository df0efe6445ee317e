import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { evaluationPoints } from '@tunelab/core';
import { type RunOnDisk, readRun } from '@tunelab/core/node';
import { locateDataset } from '@tunelab/datasets/node';
import { describe, expect, it } from 'vitest';

// The example is an experiment file: these tests run it as a user does, through the CLI.
const BIN = resolve(import.meta.dirname, '../apps/cli/dist/bin.js');
const EXAMPLE = resolve(import.meta.dirname, 'mnist-coursework.ts');
const LITERAL = resolve(import.meta.dirname, 'mnist-coursework-literal.ts');
// The real MNIST test set kept beside the project (../shared/data/mnist-t10k).
const MNIST_T10K =
  process.env.MNIST_DIR ?? resolve(import.meta.dirname, '../../shared/data/mnist-t10k');
// An empty tunelab cache: without MNIST_DIR the example then falls back to Fashion-MNIST.
const NO_CACHE = mkdtempSync(join(tmpdir(), 'tunelab-no-cache-'));
const hasFashion = (() => {
  try {
    locateDataset('fashion-mnist', { env: { TUNELAB_DATA_DIR: NO_CACHE } });
    return true;
  } catch {
    return false;
  }
})();

function tunelab(args: string[], env: Record<string, string | undefined>) {
  const { MNIST_DIR: _, ...rest } = process.env;
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...rest, NO_COLOR: '1', TUNELAB_BACKEND: '', ...env },
  });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

/** The assignment's table: [model, setting, epochs, lr, hidden layers]. */
const TABLE: Array<[string, string, number, number]> = [
  ['Model 1', 'Setting 1', 5, 0.0001],
  ['Model 1', 'Setting 2', 5, 0.001],
  ['Model 1', 'Setting 3', 15, 0.1],
  ['Model 2', 'Setting 1', 15, 0.0001],
  ['Model 2', 'Setting 2', 15, 0.005],
  ['Model 2', 'Setting 3', 15, 0.1],
  ['Model 3', 'Setting 1', 5, 0.003],
  ['Model 3', 'Setting 2', 40, 0.001],
  ['Model 3', 'Setting 3', 40, 0.1],
];
const MODELS: Record<string, object> = {
  'Model 1': { name: 'linear' },
  'Model 2': { name: 'mlp', hidden: [32], activation: 'relu' },
  'Model 3': { name: 'mlp', hidden: [32, 32], activation: 'relu' },
};
const title = (epochs: number, lr: number) => `${epochs} epochs, lr ${lr}`;

interface Planned {
  id: string;
  axes: Record<string, string>;
  title: string;
  epochs: number;
  lr: number;
  batchSize: number;
  trainExamples: number;
  evaluations: number[];
  heldOut: string;
}

describe.skipIf(!hasFashion)('the coursework on Fashion-MNIST, planned at full size', () => {
  it('has 9 trials placed 3x3, and a 5-epoch trial on 56,000 images has 14 evaluation points', () => {
    const plan = tunelab(['sweep', EXAMPLE, '--dry-run', '--json'], {
      TUNELAB_DATA_DIR: NO_CACHE,
    }) as { sweepDir: string; trials: Planned[] };
    expect(plan.sweepDir).toMatch(/sweep-coursework-fashion-mnist-[0-9a-f]{8}$/);
    expect(plan.trials.map((t) => [t.axes.model, t.axes.setting, t.epochs, t.lr])).toEqual(TABLE);
    expect(plan.trials.map((t) => t.title)).toEqual(TABLE.map(([, , e, lr]) => title(e, lr)));
    // 80% of 70,000 images; batch 100; every 20,000 samples = every 200 updates.
    for (const t of plan.trials) {
      expect(t.trainExamples).toBe(56_000);
      expect(t.batchSize).toBe(100);
      // epochs x 56,000 / 20,000 points: 14 for 5 epochs, 42 for 15, 112 for 40.
      expect(t.evaluations).toHaveLength((t.epochs * 56_000) / 20_000);
      expect(t.heldOut).toBe('validation');
    }
    expect(plan.trials[0]!.evaluations).toEqual(
      Array.from({ length: 14 }, (_, i) => (i + 1) * 20_000),
    );
  });
});

describe.skipIf(!existsSync(MNIST_T10K))('the coursework on the MNIST test set (reduced)', () => {
  it('the literal variant evaluates and selects on test, as an explicit opt-in', () => {
    const plan = tunelab(['sweep', LITERAL, '--dry-run', '--json'], { MNIST_DIR: MNIST_T10K });
    expect(plan.sweepDir).toMatch(/sweep-coursework-mnist-literal-[0-9a-f]{8}$/);
    expect(plan.trials.map((t: Planned) => t.heldOut)).toEqual(new Array(9).fill('test'));
  });

  it('trains 9 trials placed 3x3; grid, table and runs agree', { timeout: 600_000 }, () => {
    const out = mkdtempSync(join(tmpdir(), 'tunelab-coursework-'));
    // 80/10/10 of the 10,000 test digits: 8,000 training images, so a 5-epoch trial sees
    // 40,000 samples and is evaluated twice (20,000 and 40,000), a 40-epoch trial 16 times.
    const result = tunelab(['sweep', EXAMPLE, '--out', out, '--parallel', '2', '--json'], {
      MNIST_DIR: MNIST_T10K,
    });
    expect(result.status).toBe('completed');
    const dir: string = result.sweepDir;
    const state = JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8'));
    expect(state.trials.map((t: Planned) => [t.axes.model, t.axes.setting])).toEqual(
      TABLE.map(([m, s]) => [m, s]),
    );
    expect(state.trials.map((t: Planned) => t.title)).toEqual(
      TABLE.map(([, , e, lr]) => title(e, lr)),
    );

    const runs: RunOnDisk[] = state.trials.map((t: Planned) => readRun(join(dir, t.id)));
    for (const [i, [model, , epochs, lr]] of TABLE.entries()) {
      const run = runs[i]!;
      expect(run.record.status).toBe('completed');
      expect(run.record.config).toMatchObject({
        epochs,
        batchSize: 100,
        optimizer: { name: 'sgd', lr },
        model: MODELS[model],
      });
      expect((run.record.data!.split as { sizes: number[] }).sizes).toEqual([8000, 1000, 1000]);
      const periodic = run.metrics.filter((m) => m.kind === 'evaluation');
      expect(periodic.map((m) => m.samples)).toEqual(
        evaluationPoints({ trainSize: 8000, batchSize: 100, epochs, everySamples: 20_000 }),
      );
      expect(periodic).toHaveLength((epochs * 8000) / 20_000);
      // Accuracy on 20% of the training set and on the whole held-out (validation) set.
      expect(Object.keys(periodic[0]!.metrics).sort()).toEqual([
        'trainAccuracy',
        'trainLoss',
        'valAccuracy',
        'valLoss',
      ]);
      expect(run.record.testEvaluations).toEqual([]);
      expect(run.record.heldOut).toBeUndefined();
    }

    // The accuracy table: rows = models, columns = settings, cells = the runs' final metrics.
    const csv = readFileSync(join(dir, 'accuracy-table.csv'), 'utf8').trim().split('\r\n');
    expect(csv[0]).toBe(
      'model,Setting 1,Setting 1 note,Setting 2,Setting 2 note,Setting 3,Setting 3 note',
    );
    for (const [r, model] of ['Model 1', 'Model 2', 'Model 3'].entries()) {
      const cells = csv[r + 1]!.match(/("[^"]*"|[^,]+)/g)!;
      expect(cells[0]).toBe(model);
      for (let s = 0; s < 3; s++) {
        const i = r * 3 + s;
        expect(Number(cells[1 + 2 * s])).toBe(runs[i]!.record.final!.valAccuracy);
        expect(cells[2 + 2 * s]).toBe(`"${title(TABLE[i]![2], TABLE[i]![3])}"`);
      }
    }
    const markdown = readFileSync(join(dir, 'summary.md'), 'utf8');
    expect(markdown).toContain('## Final validation accuracy, model by setting');
    expect(markdown).toContain('| model | Setting 1 | Setting 2 | Setting 3 |');
    const f = (i: number) => runs[i]!.record.final!.valAccuracy!.toFixed(4);
    expect(markdown).toContain(
      `| Model 2 | ${f(3)} (15 epochs, lr 0.0001) | ${f(4)} (15 epochs, lr 0.005) | ${f(5)} (15 epochs, lr 0.1) |`,
    );
    // The curve grid (inline SVG in report.html) titles each cell with its own values; the
    // table is there as HTML and as a PNG.
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    for (const [, , e, lr] of TABLE) expect(html).toContain(`>${title(e, lr)}</text>`);
    expect(html).toContain(`<td class="num">${f(4)} (15 epochs, lr 0.005)</td>`);
    expect(existsSync(join(dir, 'report', 'accuracy-table.png'))).toBe(true);
    // The selection is the best final-or-earlier validation accuracy, never test.
    const best = Math.max(...state.trials.map((t: { best: { value: number } }) => t.best.value));
    expect(result.selection.value).toBe(best);
  });
});
