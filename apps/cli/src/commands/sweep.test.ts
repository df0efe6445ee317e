import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readRun } from '@tunelab/core/node';
import { XMLValidator } from 'fast-xml-parser';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';

const BIN = resolve(import.meta.dirname, '../../dist/bin.js');
const FASHION = process.env.FASHION_MNIST_DIR ?? '/usr/share/datasets/fashion-mnist';
const env = { ...process.env, NO_COLOR: '1', TUNELAB_BACKEND: '' };

function tunelab(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A small real sweep: 2 models x 2 settings on 1,500 Fashion-MNIST images, evaluated every 500 samples. */
function writeSweep(dir: string): string {
  const file = join(dir, 'mini-sweep.json');
  writeFileSync(
    file,
    JSON.stringify({
      name: 'mini',
      seed: 3,
      data: { dataset: 'fashion-mnist', path: FASHION },
      model: { name: 'linear' },
      optimizer: { name: 'sgd', lr: 0.1 },
      epochs: 2,
      batchSize: 50,
      trainLimit: 1500,
      evaluation: { everySamples: 500, trainFraction: 0.2 },
      sweep: {
        axes: {
          model: [{ model: { name: 'linear' } }, { model: { name: 'mlp2' } }],
          setting: [
            { epochs: 1, label: '1 epoch' },
            { epochs: 3, 'optimizer.lr': 0.05, label: '3 epochs' },
          ],
        },
        parallel: 2,
      },
    }),
  );
  return file;
}

const waitFor = async (check: () => boolean, ms: number) => {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
};

describe.skipIf(!existsSync(FASHION))('tunelab sweep, eval and report', () => {
  const root = mkdtempSync(join(tmpdir(), 'tunelab-sweep-'));
  const file = writeSweep(root);
  const out = join(root, 'runs');
  let sweepDir = '';

  it('survives a SIGKILL: re-running keeps finished trials and completes the rest', async () => {
    const child = spawn(process.execPath, [BIN, 'sweep', file, '--out', out], { env });
    let stdout = '';
    child.stdout.on('data', (c) => {
      stdout += c;
      if (/^t0\d done/m.test(stdout) && !child.killed) child.kill('SIGKILL');
    });
    await new Promise((r) => child.on('close', r));
    expect(child.signalCode).toBe('SIGKILL');
    sweepDir = join(out, readdirSync(out)[0]!);
    const finished = stdout.match(/^(t0\d) done/m)![1]!;
    // The workers notice their parent is gone and stop (their runs marked interrupted).
    const trialDirs = () => readdirSync(sweepDir).filter((d) => /^t0\d$/.test(d));
    expect(
      await waitFor(
        () => trialDirs().every((d) => readRun(join(sweepDir, d)).record.status !== 'running'),
        20_000,
      ),
    ).toBe(true);
    const before = readFileSync(join(sweepDir, finished, 'metrics.jsonl'), 'utf8');
    const created = readRun(join(sweepDir, finished)).record.updatedAt;

    // The kill can land after a worker finished its run but before the sweep recorded it:
    // make that case certain by marking the finished trial 'running' in sweep.json.
    const statePath = join(sweepDir, 'sweep.json');
    const state = JSON.parse(readFileSync(statePath, 'utf8'));
    for (const t of state.trials) if (t.id === finished) t.status = 'running';
    writeFileSync(statePath, JSON.stringify(state));

    const again = tunelab(['sweep', file, '--out', out, '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/resuming sweep .*: [0-4] of 4 trials finished/);
    const result = JSON.parse(again.stdout);
    expect(result.sweepDir).toBe(sweepDir);
    expect(result.status).toBe('completed');
    expect(result.trials.map((t: { status: string }) => t.status)).toEqual([
      'done',
      'done',
      'done',
      'done',
    ]);
    // The finished trial was not run again.
    expect(readFileSync(join(sweepDir, finished, 'metrics.jsonl'), 'utf8')).toBe(before);
    expect(readRun(join(sweepDir, finished)).record.updatedAt).toBe(created);
    // Every trial reached its own epochs; the 3-epoch ones have 3 epoch lines.
    for (const t of result.trials) {
      const run = readRun(join(sweepDir, t.id));
      expect(run.record.status).toBe('completed');
      expect(run.metrics.filter((m) => m.kind === 'epoch').length).toBe(
        t.label.includes('3 epochs') ? 3 : 1,
      );
      expect(run.record.testEvaluations).toEqual([]);
    }
    // The selection is the trial with the best validation accuracy.
    const best = result.trials.reduce(
      (a: { best: { value: number } }, b: { best: { value: number } }) =>
        b.best.value > a.best.value ? b : a,
    );
    expect(result.selection.trial).toBe(best.id);
    // Report files that open: HTML with the charts inline, PNGs that decode, a CSV row per trial.
    const html = readFileSync(join(sweepDir, 'report.html'), 'utf8');
    expect(html.match(/<svg/g)?.length).toBeGreaterThanOrEqual(2);
    expect(html).not.toMatch(/<script|(src|href)="https?:/);
    expect(
      PNG.sync.read(readFileSync(join(sweepDir, 'report', 'curves-grid.png'))).width,
    ).toBeGreaterThan(400);
    expect(readFileSync(join(sweepDir, 'summary.csv'), 'utf8').trim().split('\r\n')).toHaveLength(
      5,
    );
  }, 180_000);

  it('guards the test split: one trial of a sweep may be evaluated on test, a second needs --force', () => {
    const first = tunelab(['eval', join(sweepDir, 't01'), '--split', 'test', '--json']);
    expect(first.code, first.stderr).toBe(0);
    const result = JSON.parse(first.stdout);
    expect(result.split).toBe('test');
    expect(result.examples).toBe(7000);
    const total = (result.confusion as number[][]).flat().reduce((a, b) => a + b, 0);
    expect(total).toBe(7000);
    const run = readRun(join(sweepDir, 't01'));
    expect(run.record.testEvaluations).toHaveLength(1);
    expect(run.record.testEvaluations[0]!.metrics.testAccuracy).toBe(result.metrics.testAccuracy);
    expect(run.metrics.at(-1)).toMatchObject({ kind: 'evaluation', split: 'test' });

    const second = tunelab(['eval', join(sweepDir, 't02'), '--split', 'test']);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain('the test split of this sweep was already evaluated for t01');
    expect(tunelab(['eval', join(sweepDir, 't02'), '--split', 'test', '--force']).code).toBe(0);
    // Validation evaluation is always allowed and matches the run's own last epoch.
    const val = JSON.parse(tunelab(['eval', join(sweepDir, 't03'), '--json']).stdout);
    expect(val.metrics.valAccuracy).toBeCloseTo(
      readRun(join(sweepDir, 't03')).record.final!.valAccuracy!,
      6,
    );
  }, 60_000);

  it('reports a run as Markdown with images, as SVG files, as HTML and as CSV', () => {
    const run = join(sweepDir, 't04');
    const md = join(root, 'md', 'report.md');
    expect(tunelab(['report', run, '--format', 'md', '--out', md]).code).toBe(0);
    const text = readFileSync(md, 'utf8');
    expect(text).toContain('![Learning curves](report-learning-curve.png)');
    expect(text).toContain('| model | setting | best val acc |');
    expect(
      PNG.sync.read(readFileSync(join(root, 'md', 'report-learning-curve-samples.png'))).height,
    ).toBeGreaterThan(100);
    const svgDir = join(root, 'svg');
    const svg = JSON.parse(
      tunelab(['report', run, '--format', 'svg', '--out', svgDir, '--json']).stdout,
    );
    expect(svg.files.length).toBeGreaterThanOrEqual(4);
    for (const f of svg.files) expect(XMLValidator.validate(readFileSync(f, 'utf8'))).toBe(true);
    expect(svg.files.map((f: string) => f.split('/').at(-1))).toContain('confusion-validation.svg');
    expect(tunelab(['report', run, sweepDir, '--out', join(root, 'both.html')]).code).toBe(0);
    expect(tunelab(['report', join(root, 'nope')]).code).toBe(2);
  }, 60_000);
});
