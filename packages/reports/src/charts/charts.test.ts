import type { MetricEntry } from '@tunelab/core/record';
import { XMLValidator } from 'fast-xml-parser';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { svgToPng } from '../png.js';
import { renderSvg } from '../render.js';
import { confusionMatrixSpec } from './confusion-matrix.js';
import { earlyStoppingSpec } from './early-stopping.js';
import { learningCurveSpec } from './learning-curve.js';
import { scheduleSpec } from './schedule.js';
import { sweepGridSpec } from './sweep-grid.js';

/** Asserts the SVG is well-formed XML and that its PNG decodes; returns both. */
async function render(spec: Parameters<typeof renderSvg>[0]) {
  const svg = await renderSvg(spec);
  expect(XMLValidator.validate(svg)).toBe(true);
  const png = PNG.sync.read(Buffer.from(svgToPng(svg, { scale: 1 })));
  expect(png.width).toBeGreaterThan(100);
  return { svg, png };
}

const count = (svg: string, mark: string) => {
  const groups = svg.match(new RegExp(`<g class="mark-${mark} role-mark[\\s\\S]*?</g>`, 'g')) ?? [];
  return groups.reduce((n, g) => n + (g.match(/<(path|text|line) /g)?.length ?? 0), 0);
};

function periodic(samples: number[], acc: (s: number) => number): MetricEntry[] {
  return samples.map((s, i) => ({
    kind: 'evaluation',
    split: 'periodic',
    epoch: s / 60_000,
    step: i,
    samples: s,
    time: 't',
    metrics: {
      trainAccuracy: acc(s) + 0.02,
      valAccuracy: acc(s),
      trainLoss: 1 - acc(s),
      valLoss: 1.1 - acc(s),
    },
  }));
}

describe('charts', () => {
  it('learning curves against samples use the periodic evaluations', async () => {
    const entries = periodic([20_000, 40_000, 60_000], (s) => s / 100_000);
    const { svg } = await render(learningCurveSpec(entries, { x: 'samples' }));
    // 3 evaluations x 2 splits x 2 panels = 12 points.
    expect(count(svg, 'symbol')).toBe(12);
    expect(svg).toContain('>training samples</text>');
  });

  it('a sweep grid has one small chart per trial: models as columns, settings as rows', async () => {
    const trials = ['mlp', 'cnn'].flatMap((model) =>
      ['lr 0.1', 'lr 0.01', 'lr 0.001'].map((row) => ({
        column: model,
        row,
        metrics: periodic([20_000, 40_000], () => 0.5),
      })),
    );
    const { svg } = await render(sweepGridSpec(trials, { title: 'sweep' }));
    // 6 cells, each with 2 splits x 2 points.
    expect(count(svg, 'symbol')).toBe(24);
    for (const label of ['mlp', 'cnn', 'lr 0.1', 'lr 0.01', 'lr 0.001'])
      expect(svg).toContain(`>${label}</text>`);
  });

  it('writes each trial its own title when a row holds different values per column', async () => {
    // The coursework's "Setting 2": 5 epochs at lr 0.001 for Model 1, 15 at 0.005 for Model 2.
    const trials = [
      ['Model 1', 'Setting 1', '5 epochs, lr 0.0001'],
      ['Model 2', 'Setting 1', '15 epochs, lr 0.0001'],
      ['Model 1', 'Setting 2', '5 epochs, lr 0.001'],
      ['Model 2', 'Setting 2', '15 epochs, lr 0.005'],
    ].map(([column, row, title]) => ({
      column: column!,
      row: row!,
      title,
      metrics: periodic([20_000, 40_000, 60_000], () => 0.5),
    }));
    const { svg } = await render(sweepGridSpec(trials));
    // 4 cells x 2 splits x 3 points; the titles are text, not points.
    expect(count(svg, 'symbol')).toBe(24);
    for (const t of trials) expect(svg).toContain(`>${t.title}</text>`);
    for (const label of ['Model 1', 'Model 2', 'Setting 1', 'Setting 2'])
      expect(svg).toContain(`>${label}</text>`);
    // Each title sits in its own cell: one text mark per cell.
    expect(svg.match(/>15 epochs, lr 0.005<\/text>/g)).toHaveLength(1);
  });

  it('several schedules share one chart, one line each', async () => {
    const steps = Array.from({ length: 101 }, (_, i) => i * 10);
    const series = [0.001, 0.01, 0.1].map((decay) => ({
      label: `decay ${decay}`,
      lr: steps.map((s) => 0.1 / (1 + decay * s)),
    }));
    const { svg } = await render(scheduleSpec(steps, series));
    expect(svg.match(/class="mark-line role-mark/g)?.length).toBe(3);
    expect(svg).toContain('>decay 0.01</text>');
    expect(() => scheduleSpec([1, 2], [{ label: 'x', lr: [1] }])).toThrow(
      'scheduleSpec: "x" has 1 values for 2 steps',
    );
  });

  it('marks each criterion stop epoch and the best epoch with a labelled rule', async () => {
    const { svg } = await render(
      earlyStoppingSpec({
        validation: [1, 0.8, 0.7, 0.75, 0.8, 0.9],
        training: [1, 0.7, 0.5, 0.4, 0.35, 0.3],
        stops: { GL_5: 4, UP_2: 6, PQ_1: null },
        bestEpoch: 3,
      }),
    );
    expect(count(svg, 'rule')).toBe(3);
    expect(svg).toContain('>GL_5 stops (4)</text>');
    expect(svg).toContain('>best (3)</text>');
    expect(svg).not.toContain('PQ_1');
  });

  it('draws a confusion matrix with a count in every cell', async () => {
    const classes = ['a', 'b', 'c'];
    const { svg } = await render(
      confusionMatrixSpec(
        [
          [5, 1, 0],
          [2, 7, 1],
          [0, 0, 9],
        ],
        classes,
      ),
    );
    expect(count(svg, 'rect')).toBe(9);
    for (const n of ['5', '7', '9']) expect(svg).toContain(`>${n}</text>`);
    expect(() => confusionMatrixSpec([[1]], classes)).toThrow(
      'expected a 3 x 3 matrix for 3 classes',
    );
  });
});
