import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readRun } from '@tunelab/core/node';
import { describe, expect, it } from 'vitest';

// evaluation.heldOut 'test' end to end, with the built command on the real MNIST test set
// (../shared/data/mnist-t10k, 10,000 digits split 8,000 / 1,000 / 1,000).
const BIN = resolve(import.meta.dirname, '../../dist/bin.js');
const MNIST =
  process.env.MNIST_DIR ?? resolve(import.meta.dirname, '../../../../../shared/data/mnist-t10k');
const env = { ...process.env, NO_COLOR: '1', TUNELAB_BACKEND: '' };

function tunelab(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function experiment(dir: string, name: string, extra: Record<string, unknown>): string {
  const file = join(dir, `${name}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      name,
      seed: 7,
      // The 10,000 test digits alone: a deliberately partial MNIST folder.
      data: { dataset: MNIST, allowPartial: true },
      model: { name: 'linear' },
      optimizer: { name: 'sgd', lr: 0.1 },
      epochs: 2,
      batchSize: 100,
      ...extra,
    }),
  );
  return file;
}

describe.skipIf(!existsSync(MNIST))(
  "evaluation.heldOut 'test' (a literal coursework reproduction)",
  () => {
    const root = mkdtempSync(join(tmpdir(), 'tunelab-held-out-'));

    it('trains against the test split, records it, and eval, report and sweep say so', () => {
      const file = experiment(root, 'literal', {
        evaluation: { everySamples: 4000, trainFraction: 0.2, heldOut: 'test' },
      });
      const train = tunelab(['train', file, '--out', join(root, 'runs'), '--json']);
      expect(train.code, train.stderr).toBe(0);
      expect(train.stderr).toContain("held-out split: TEST (evaluation.heldOut 'test')");
      expect(train.stderr).toMatch(
        /^epoch 2\/2 +train loss [\d.]+ acc [\d.]+ +TEST loss [\d.]+ acc [\d.]+/m,
      );
      const runDir = JSON.parse(train.stdout).runDir as string;
      const run = readRun(runDir);
      expect(run.record.heldOut).toBe('test');
      // Every epoch and every 4,000 samples (8,000 per epoch: 4 points) on test, never on validation.
      const epochs = run.metrics.filter((m) => m.kind === 'epoch');
      const periodic = run.metrics.filter((m) => m.kind === 'evaluation');
      expect(periodic.map((m) => m.samples)).toEqual([4000, 8000, 12000, 16000]);
      for (const m of [...epochs, ...periodic]) {
        expect(m.metrics.testAccuracy).toBeGreaterThan(0.5);
        expect(m.metrics.valAccuracy).toBeUndefined();
      }
      expect(run.record.final?.testAccuracy).toBe(epochs.at(-1)!.metrics.testAccuracy);

      // The held-out set was the test split itself: eval on test gives the same accuracy.
      const evaluated = tunelab(['eval', runDir, '--split', 'test', '--json']);
      expect(evaluated.code, evaluated.stderr).toBe(0);
      expect(evaluated.stderr).toContain(
        "note: this run evaluated the test split during training (evaluation.heldOut 'test')",
      );
      const out = JSON.parse(evaluated.stdout);
      expect(out.testSeenDuringTraining).toBe(true);
      expect(out.examples).toBe(1000);
      expect(out.metrics.testAccuracy).toBeCloseTo(run.record.final!.testAccuracy!, 6);
      const text = tunelab(['eval', runDir, '--split', 'test']);
      expect(text.stdout).toContain('is not an unbiased estimate of accuracy on new data');

      const report = tunelab(['report', runDir, '--format', 'md', '--out', join(root, 'r.md')]);
      expect(report.code, report.stderr).toBe(0);
      const md = readFileSync(join(root, 'r.md'), 'utf8');
      expect(md).toContain('TEST split evaluated during training');
      expect(md).toContain('The held-out curves and numbers are on the TEST split');
      expect(md).toContain('final test acc (seen in training)');
      // The charts say it too (they travel alone as PNGs): the report's and the run's own.
      expect(md).toContain('![Learning curves](r-learning-curve.png)');
      const svg = readFileSync(join(runDir, 'artifacts', 'learning-curve.svg'), 'utf8');
      expect(svg).toContain(': TEST split evaluated during training</text>');
    });

    it('a run on validation says nothing of the kind', () => {
      const file = experiment(root, 'honest', { epochs: 1 });
      const train = tunelab(['train', file, '--out', join(root, 'runs'), '--json']);
      expect(train.code, train.stderr).toBe(0);
      const runDir = JSON.parse(train.stdout).runDir as string;
      expect(readRun(runDir).record.heldOut).toBeUndefined();
      const evaluated = tunelab(['eval', runDir, '--split', 'test', '--json']);
      expect(evaluated.code, evaluated.stderr).toBe(0);
      expect(evaluated.stderr).not.toContain('during training');
      expect(JSON.parse(evaluated.stdout).testSeenDuringTraining).toBeUndefined();
    });

    it('a sweep over such trials must select by a test metric, stated in the file', () => {
      const sweep = { grid: { 'optimizer.lr': [0.1, 0.01] } };
      const literal = experiment(root, 'sweep-literal', {
        evaluation: { heldOut: 'test' },
        sweep,
      });
      const refused = tunelab(['sweep', literal, '--out', join(root, 'sweeps')]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(
        "evaluation.heldOut is 'test', so the trials record test metrics, not valAccuracy; set sweep.metric: 'testAccuracy'",
      );
      const honest = experiment(root, 'sweep-honest', {
        sweep: { ...sweep, metric: 'testAccuracy' },
      });
      const wrong = tunelab(['sweep', honest, '--out', join(root, 'sweeps')]);
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toContain(
        'sweep.metric is testAccuracy, but the sweep never looks at the test split',
      );
      // Refused before anything was written.
      expect(existsSync(join(root, 'sweeps')) ? readdirSync(join(root, 'sweeps')) : []).toEqual([]);
    });
  },
);
