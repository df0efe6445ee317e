import type { MetricEntry } from '@tunelab/core/record';
import type { TopLevelSpec } from 'vega-lite';

/** One plotted point of a learning curve. */
export interface CurvePoint {
  epoch: number;
  samples: number;
  /** 'loss', 'accuracy', ... */
  metric: string;
  /** 'train', 'validation' or 'test'. */
  split: string;
  value: number;
}

/** Fixed colour per split (Vega's category10 order), so train is the same blue in every chart. */
const SPLIT_COLOURS: Readonly<Record<string, string>> = {
  train: '#4c78a8',
  validation: '#f58518',
  test: '#e45756',
};

const SPLIT_PREFIXES: ReadonlyArray<[string, string]> = [
  ['train', 'train'],
  ['val', 'validation'],
  ['test', 'test'],
];

/**
 * Turns metrics.jsonl entries into long-form points: trainLoss at epoch 3 becomes
 * { epoch: 3, metric: 'loss', split: 'train', value }. Non-finite values are left out.
 */
export function curvePoints(entries: readonly MetricEntry[]): CurvePoint[] {
  const points: CurvePoint[] = [];
  for (const entry of entries) {
    for (const [key, value] of Object.entries(entry.metrics)) {
      if (value === null || !Number.isFinite(value)) continue;
      const prefix = SPLIT_PREFIXES.find(
        ([p]) => key.startsWith(p) && key.length > p.length && /[A-Z]/.test(key[p.length]!),
      );
      if (!prefix) continue;
      const metric = key.charAt(prefix[0].length).toLowerCase() + key.slice(prefix[0].length + 1);
      const split = entry.kind === 'evaluation' && prefix[0] !== 'train' ? entry.split : prefix[1];
      points.push({ epoch: entry.epoch, samples: entry.samples, metric, split, value });
    }
  }
  return points;
}

/** Options of {@link learningCurveSpec}. */
export interface LearningCurveOptions {
  title?: string;
  /** Horizontal axis: epochs or training samples processed. Default 'epoch'. */
  x?: 'epoch' | 'samples';
  /** Metrics to draw, one panel each. Default ['loss', 'accuracy'] (those present). */
  metrics?: readonly string[];
  /** Panel size in pixels. Default 320 x 220. */
  width?: number;
  height?: number;
}

/**
 * A Vega-Lite spec of train vs validation curves, one panel per metric side by side,
 * points on each epoch. Render with {@link renderSvg}, in Node or a browser.
 */
export function learningCurveSpec(
  entries: readonly MetricEntry[],
  options: LearningCurveOptions = {},
): TopLevelSpec {
  const points = curvePoints(entries);
  const present = new Set(points.map((p) => p.metric));
  const metrics = (options.metrics ?? ['loss', 'accuracy']).filter((m) => present.has(m));
  if (metrics.length === 0)
    throw new Error('learningCurveSpec: no train/validation metrics to plot');
  const x = options.x ?? 'epoch';
  const splits = Object.keys(SPLIT_COLOURS).filter((s) => points.some((p) => p.split === s));
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
        x: {
          field: x,
          type: 'quantitative',
          title: x === 'epoch' ? 'epoch' : 'training samples',
          axis: x === 'epoch' ? { tickMinStep: 1 } : {},
        },
        y: { field: 'value', type: 'quantitative', title: metric, scale: { zero: false } },
        color: {
          field: 'split',
          type: 'nominal',
          title: 'split',
          scale: { domain: splits, range: splits.map((s) => SPLIT_COLOURS[s]) },
        },
        tooltip: [{ field: 'split' }, { field: x }, { field: 'value', format: '.4f' }],
      },
    })),
  } as TopLevelSpec;
}
