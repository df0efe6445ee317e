import type { MetricEntry } from '@tunelab/core/record';
import type { TopLevelSpec } from 'vega-lite';
import { curvePoints, entriesFor, splitScale } from './points.js';

/** One trial of a sweep: where it sits in the grid and its metrics. */
export interface GridTrial {
  /** Column label (e.g. the model). */
  readonly column: string;
  /** Row label (e.g. "lr 0.01, 3 epochs"). */
  readonly row: string;
  /** The trial's metrics.jsonl lines. */
  readonly metrics: readonly MetricEntry[];
  /**
   * The cell's own title, when its values differ from its row's (explicit sweep trials:
   * "15 epochs, lr 0.005"); written at the top of the cell.
   */
  readonly title?: string | undefined;
}

/** Options of {@link sweepGridSpec}. */
export interface SweepGridOptions {
  /** Chart title. Default none. */
  title?: string;
  /** Metric to draw. Default 'accuracy'. */
  metric?: string;
  /** Horizontal axis. Default 'samples'. */
  x?: 'epoch' | 'samples';
  /** Titles of the column and row facets. Default 'model' and 'setting'. */
  columnTitle?: string;
  /** Title over the row labels. Default 'setting'. */
  rowTitle?: string;
  /** Orders of the facets (default: first appearance). */
  columns?: readonly string[];
  /** Row order. Default: first-seen order of the trials. */
  rows?: readonly string[];
  /** Size of each small chart. Default 200 x 140. */
  width?: number;
  /** Height of each small chart in pixels. Default 140. */
  height?: number;
}

/**
 * A grid of learning curves: one small chart per trial, models as columns and settings as
 * rows, train vs validation against samples processed (or epochs). A trial with a `title`
 * has it written above its own chart (its values, when they differ along a row).
 * ```ts
 * const trials = runs.map((r) => ({
 *   column: String(r.record.config.model),
 *   row: String(r.record.config.setting),
 *   metrics: r.metrics,
 * }));
 * sweepGridSpec(trials, { metric: 'accuracy', x: 'samples' });
 * ```
 */
export function sweepGridSpec(
  trials: readonly GridTrial[],
  options: SweepGridOptions = {},
): TopLevelSpec {
  const metric = options.metric ?? 'accuracy';
  const x = options.x ?? 'samples';
  const values = trials.flatMap((t) =>
    curvePoints(entriesFor(t.metrics, x))
      .filter((p) => p.metric === metric)
      .map((p) => ({ ...p, column: t.column, row: t.row })),
  );
  if (values.length === 0) throw new Error(`sweepGridSpec: no ${metric} values to plot`);
  const order = (key: 'column' | 'row') => [...new Set(trials.map((t) => t[key]))];
  // One text datum per titled cell; facetting places it in the trial's row and column.
  const titles = trials.flatMap((t) =>
    t.title ? [{ column: t.column, row: t.row, cellTitle: t.title }] : [],
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(options.title ? { title: options.title } : {}),
    data: { values: [...values, ...titles] },
    facet: {
      column: {
        field: 'column',
        type: 'nominal',
        title: options.columnTitle ?? 'model',
        sort: [...(options.columns ?? order('column'))],
      },
      row: {
        field: 'row',
        type: 'nominal',
        title: options.rowTitle ?? 'setting',
        sort: [...(options.rows ?? order('row'))],
      },
    },
    spec: {
      width: options.width ?? 200,
      height: options.height ?? 140,
      layer: [
        {
          transform: [{ filter: 'datum.cellTitle == null' }],
          mark: { type: 'line', point: { size: 12 } },
          encoding: {
            x: {
              field: x,
              type: 'quantitative',
              title: x === 'samples' ? 'training samples' : 'epoch',
              axis: { format: x === 'samples' ? '~s' : 'd' },
            },
            y: { field: 'value', type: 'quantitative', title: metric, scale: { zero: false } },
            color: { field: 'split', type: 'nominal', title: 'split', scale: splitScale(values) },
          },
        },
        ...(titles.length
          ? [
              {
                transform: [{ filter: 'datum.cellTitle != null' }],
                mark: {
                  type: 'text',
                  align: 'left',
                  baseline: 'bottom',
                  dy: -4,
                  fontSize: 11,
                  fontWeight: 'bold',
                },
                encoding: {
                  x: { value: 0 },
                  y: { value: 0 },
                  text: { field: 'cellTitle' },
                },
              },
            ]
          : []),
      ],
    },
    resolve: { scale: { y: 'shared' } },
  } as TopLevelSpec;
}
