import type { MetricEntry } from '@tunelab/core/record';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { svgToPng } from '../png.js';
import { renderSvg } from '../render.js';
import { learningCurveSpec } from './learning-curve.js';
import { curvePoints } from './points.js';

const entries: MetricEntry[] = [1, 2, 3].map((epoch) => ({
  kind: 'epoch',
  epoch,
  step: epoch * 100,
  samples: epoch * 6400,
  seconds: epoch,
  lr: 0.001,
  time: '2026-11-23T00:00:00Z',
  metrics: {
    trainLoss: 1 / epoch,
    valLoss: 1.2 / epoch,
    trainAccuracy: 0.6 + 0.1 * epoch,
    valAccuracy: 0.55 + 0.1 * epoch,
  },
}));

describe('learning curves', () => {
  it('turns epoch entries into one point per metric, split and epoch', () => {
    const points = curvePoints(entries);
    expect(points).toHaveLength(12);
    expect(
      points.filter((p) => p.metric === 'loss' && p.split === 'validation').map((p) => p.value),
    ).toEqual([1.2, 1.2 / 2, 1.2 / 3]);
    expect(new Set(points.map((p) => p.split))).toEqual(new Set(['train', 'validation']));
  });

  it('renders an SVG with both panels and a symbol for each of the 12 points', async () => {
    const svg = await renderSvg(learningCurveSpec(entries, { title: 'demo' }));
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('>demo</text>');
    // One line mark per (panel, split): 2 panels x 2 splits.
    expect(svg.match(/class="mark-line role-mark/g)?.length).toBe(2 * 2);
    const symbolGroups = svg.match(/<g class="mark-symbol role-mark[\s\S]*?<\/g>/g) ?? [];
    const symbols = symbolGroups.reduce((n, g) => n + (g.match(/<path /g)?.length ?? 0), 0);
    expect(symbols).toBe(12);
    expect(svg).toContain('>accuracy</text>');
    expect(svg).toContain('>loss</text>');
    // The legend lists only the splits present.
    expect(svg).toContain('>validation</text>');
    expect(svg).not.toContain('>test</text>');
  });

  it('rasterises to a PNG that decodes, at twice the SVG size, with both series colours', async () => {
    const svg = await renderSvg(learningCurveSpec(entries));
    const width = Number(svg.match(/width="(\d+)"/)![1]);
    const png = PNG.sync.read(Buffer.from(svgToPng(svg)));
    expect(png.width).toBe(width * 2);
    const colours = new Set<string>();
    for (let i = 0; i < png.data.length; i += 4)
      colours.add(`${png.data[i]},${png.data[i + 1]},${png.data[i + 2]}`);
    // Vega's default category colours: #4c78a8 (train) and #f58518 (validation).
    expect(colours.has('76,120,168')).toBe(true);
    expect(colours.has('245,133,24')).toBe(true);
  });

  it('refuses entries with nothing to plot', () => {
    expect(() => learningCurveSpec([])).toThrow(
      'learningCurveSpec: no train/validation metrics to plot',
    );
  });
});
