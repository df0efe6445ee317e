import type { MetricEntry } from '@tunelab/core/record';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { renderSvg } from '../render.js';
import { compareCurvesSpec } from './compare-curves.js';
import { parallelCoordinatesSpec, parallelPoints } from './parallel-coordinates.js';

const marks = (svg: string, mark: string) => {
  const groups = svg.match(new RegExp(`<g class="mark-${mark} role-mark[\\s\\S]*?</g>`, 'g')) ?? [];
  return groups.reduce((n, g) => n + (g.match(/<path /g)?.length ?? 0), 0);
};

const epochs = (n: number, rate: number): MetricEntry[] =>
  Array.from({ length: n }, (_, i) => ({
    kind: 'epoch',
    epoch: i + 1,
    step: (i + 1) * 10,
    samples: (i + 1) * 100,
    seconds: i,
    lr: 0.1,
    time: 't',
    metrics: {
      trainLoss: 1 / (1 + rate * (i + 1)),
      valLoss: 1.1 / (1 + rate * (i + 1)),
      trainAccuracy: 0.5 + 0.05 * i,
      valAccuracy: 0.45 + 0.05 * i,
    },
  }));

describe('compareCurvesSpec', () => {
  it('overlays runs: a point per epoch, split and panel, one line per run and split', async () => {
    const spec = compareCurvesSpec([
      { label: 'alpha', metrics: epochs(5, 1) },
      { label: 'beta', metrics: epochs(3, 2) },
    ]);
    const svg = await renderSvg(spec);
    expect(XMLValidator.validate(svg)).toBe(true);
    // (5 + 3) epochs x 2 splits x 2 panels.
    expect(marks(svg, 'symbol')).toBe(32);
    // 2 runs x 2 splits per panel, 2 panels.
    expect(marks(svg, 'line')).toBe(8);
    for (const label of ['alpha', 'beta', 'loss', 'accuracy'])
      expect(svg).toContain(`>${label}</text>`);
  });

  it('draws only the splits asked for, and refuses duplicate labels and empty runs', async () => {
    const svg = await renderSvg(
      compareCurvesSpec([{ label: 'a', metrics: epochs(4, 1) }], {
        splits: ['validation'],
        metrics: ['accuracy'],
      }),
    );
    expect(marks(svg, 'symbol')).toBe(4);
    expect(() => compareCurvesSpec([{ label: 'a', metrics: [] }])).toThrow(
      'no metrics of these runs',
    );
    expect(() =>
      compareCurvesSpec([
        { label: 'a', metrics: epochs(1, 1) },
        { label: 'a', metrics: epochs(1, 1) },
      ]),
    ).toThrow('run labels must differ, got a, a');
  });
});

describe('parallelCoordinatesSpec', () => {
  const rows = [
    { id: 't01', values: { model: 'mlp', lr: 0.1 }, metric: 0.8 },
    { id: 't02', values: { model: 'mlp', lr: 0.001 }, metric: 0.7 },
    { id: 't03', values: { model: 'cnn4', lr: 0.01 }, metric: 0.9 },
    { id: 't04', values: { model: 'cnn4', lr: 0.001 }, metric: null },
  ];

  it('places categories evenly, spans of over 10x on log10, and the metric min-max', () => {
    const { axes, points } = parallelPoints(rows, { metricName: 'valAccuracy' });
    expect(axes).toEqual(['model', 'lr', 'valAccuracy']);
    const at = (id: string, axis: string) =>
      points.find((p) => p.id === id && p.axis === axis)?.position;
    expect(at('t01', 'model')).toBe(0);
    expect(at('t03', 'model')).toBe(1);
    // log10: 0.001 -> 0, 0.01 -> 0.5, 0.1 -> 1.
    expect(at('t02', 'lr')).toBe(0);
    expect(at('t03', 'lr')).toBeCloseTo(0.5, 12);
    expect(at('t01', 'lr')).toBe(1);
    // Metric 0.7 .. 0.9: 0.8 is half way; t04 has none yet and no point on that axis.
    expect(at('t01', 'valAccuracy')).toBeCloseTo(0.5, 12);
    expect(at('t04', 'valAccuracy')).toBeUndefined();
    // Linear when asked: 0.01 sits at (0.01 - 0.001) / (0.1 - 0.001).
    const linear = parallelPoints(rows, { logAxes: [] }).points;
    expect(linear.find((p) => p.id === 't03' && p.axis === 'lr')!.position).toBeCloseTo(
      0.009 / 0.099,
      12,
    );
  });

  it('renders one line per trial and labels every axis', async () => {
    const svg = await renderSvg(parallelCoordinatesSpec(rows, { metricName: 'valAccuracy' }));
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(marks(svg, 'line')).toBe(4);
    for (const label of ['model', 'lr', 'valAccuracy', 'mlp', 'cnn4', '0.001', '0.1'])
      expect(svg).toContain(`>${label}</text>`);
    expect(() => parallelCoordinatesSpec([])).toThrow('no trials to draw');
    expect(() => parallelCoordinatesSpec([{ id: 'x', values: { metric: 1 }, metric: 1 }])).toThrow(
      'axis "metric" is also the metric\'s name',
    );
  });
});
