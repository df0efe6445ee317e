import type { MetricEntry } from '@tunelab/core/record';
import type { TopLevelSpec } from 'vega-lite';
import { curvePoints, entriesFor, splitScale, xEncoding } from './points.js';

/** Options of {@link learningCurveSpec}. */
export interface LearningCurveOptions {
  /** Chart title. Default none. */
  title?: string;
  /** Horizontal axis: epochs or training samples processed. Default 'epoch'. */
  x?: 'epoch' | 'samples';
  /** Metrics to draw, one panel each. Default ['loss', 'accuracy'] (those present). */
  metrics?: readonly string[];
  /** Panel size in pixels. Default 320 x 220. */
  width?: number;
  /** Height of each panel in pixels. Default 220. */
  height?: number;
}

/**
 * A Vega-Lite spec of train vs validation curves, one panel per metric side by side, a
 * point per epoch (or per periodic evaluation against samples). Render with renderSvg, in
 * Node or a browser.
 * `learningCurveSpec(run.metrics, { metrics: ['loss'] })`: one panel, train and validation loss
 * per epoch.
 */
export function learningCurveSpec(
  entries: readonly MetricEntry[],
  options: LearningCurveOptions = {},
): TopLevelSpec {
  const x = options.x ?? 'epoch';
  const points = curvePoints(entriesFor(entries, x));
  const present = new Set(points.map((p) => p.metric));
  const metrics = (options.metrics ?? ['loss', 'accuracy']).filter((m) => present.has(m));
  if (metrics.length === 0)
    throw new Error('learningCurveSpec: no train/validation metrics to plot');
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(options.title ? { title: options.title } : {}),
    data: { values: points },
    hconcat: metrics.map((metric) => ({
      width: options.width ?? 320,
      height: options.height ?? 220,
      transform: [{ filter: { field: 'metric', equal: metric } }],
      mark: { type: 'line', point: true },
      encoding: {
        x: xEncoding(x),
        y: { field: 'value', type: 'quantitative', title: metric, scale: { zero: false } },
        color: { field: 'split', type: 'nominal', title: 'split', scale: splitScale(points) },
        tooltip: [{ field: 'split' }, { field: x }, { field: 'value', format: '.4f' }],
      },
    })),
  } as TopLevelSpec;
}
