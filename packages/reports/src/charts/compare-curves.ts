import type { MetricEntry } from '@tunelab/core/record';
import type { TopLevelSpec } from 'vega-lite';
import { curvePoints, entriesFor, xEncoding } from './points.js';

/** Stroke patterns per split: validation solid, train dashed. */
const DASHES: Readonly<Record<string, number[]>> = {
  validation: [1, 0],
  train: [5, 3],
  test: [2, 2],
};

/** One run of a comparison: its label in the legend and its metrics.jsonl entries. */
export interface ComparedRun {
  /** The run's name in the legend. */
  readonly label: string;
  /** Its metrics.jsonl lines. */
  readonly metrics: readonly MetricEntry[];
}

/** Options of {@link compareCurvesSpec}. */
export interface CompareCurvesOptions {
  /** Chart title. Default 'learning curves'. */
  title?: string;
  /** Metrics to draw, one panel each. Default ['loss', 'accuracy'] (those present). */
  metrics?: readonly string[];
  /** Splits to draw. Default ['train', 'validation']: train dashed, validation solid. */
  splits?: readonly string[];
  /** Horizontal axis. Default 'epoch'. */
  x?: 'epoch' | 'samples';
  /** Width of each panel in pixels. Default 360. */
  width?: number;
  /** Height of each panel in pixels. Default 240. */
  height?: number;
}

/**
 * Learning curves of several runs overlaid: one colour per run, train dashed and validation
 * solid, one panel per metric, a point per epoch (or per periodic evaluation against samples).
 * ```ts
 * compareCurvesSpec([
 *   { label: 'adam', metrics: adamRun.metrics },
 *   { label: 'sgd', metrics: sgdRun.metrics },
 * ]);
 * ```
 */
export function compareCurvesSpec(
  runs: readonly ComparedRun[],
  options: CompareCurvesOptions = {},
): TopLevelSpec {
  const x = options.x ?? 'epoch';
  const splits = options.splits ?? ['train', 'validation'];
  const values = runs.flatMap((run) =>
    curvePoints(entriesFor(run.metrics, x))
      .filter((p) => splits.includes(p.split))
      .map((p) => ({ ...p, run: run.label })),
  );
  const present = new Set(values.map((p) => p.metric));
  const metrics = (options.metrics ?? ['loss', 'accuracy']).filter((m) => present.has(m));
  if (metrics.length === 0) throw new Error('compareCurvesSpec: no metrics of these runs to plot');
  const labels = runs.map((r) => r.label);
  if (new Set(labels).size !== labels.length)
    throw new Error(`compareCurvesSpec: run labels must differ, got ${labels.join(', ')}`);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: options.title ?? 'learning curves',
      subtitle: splits
        .map((s) => `${s} ${(DASHES[s] ?? [2, 2])[1] === 0 ? 'solid' : 'dashed'}`)
        .join(', '),
    },
    data: { values },
    hconcat: metrics.map((metric) => ({
      width: options.width ?? 360,
      height: options.height ?? 240,
      transform: [{ filter: { field: 'metric', equal: metric } }],
      mark: { type: 'line', point: true },
      encoding: {
        x: xEncoding(x),
        y: { field: 'value', type: 'quantitative', title: metric, scale: { zero: false } },
        color: { field: 'run', type: 'nominal', title: 'run', sort: labels },
        strokeDash: {
          field: 'split',
          type: 'nominal',
          title: 'split',
          scale: {
            domain: [...splits],
            range: splits.map((s) => DASHES[s] ?? [2, 2]),
          },
          // A legend of dash patterns does not survive every renderer: the subtitle says it.
          legend: null,
        },
        detail: { field: 'split' },
        tooltip: [
          { field: 'run' },
          { field: 'split' },
          { field: x },
          { field: 'value', format: '.4f' },
        ],
      },
    })),
  } as TopLevelSpec;
}
