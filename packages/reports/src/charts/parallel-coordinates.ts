import type { TopLevelSpec } from 'vega-lite';

/** One line of a parallel-coordinates chart: a trial's hyperparameters and its metric. */
export interface ParallelRow {
  /** The trial's id (one line per id). */
  readonly id: string;
  /** Axis name -> value: numbers are placed linearly (or on a log scale), strings as categories. */
  readonly values: Readonly<Record<string, number | string>>;
  /** The metric the lines are coloured by (the last axis); null when the trial has none yet. */
  readonly metric: number | null;
}

/** Options of {@link parallelCoordinatesSpec}. */
export interface ParallelCoordinatesOptions {
  /** Chart title. Default none. */
  title?: string;
  /** Name of the metric axis. Default 'metric'. */
  metricName?: string;
  /** Axes (in order) drawn on a log scale, e.g. learning rates. Default: numeric axes whose positive values span more than a factor of 10. */
  logAxes?: readonly string[];
  /** Width in pixels. Default max(320, 140 per axis). */
  width?: number;
  /** Height in pixels. Default 260. */
  height?: number;
}

/** A point of the chart: axis `axis` of trial `id` at height `position` in [0, 1]. */
export interface ParallelPoint {
  /** The trial's id. */
  readonly id: string;
  /** The axis name. */
  readonly axis: string;
  /** The axis' 0-based position from the left. */
  readonly order: number;
  /** Height on the axis in [0, 1]. */
  readonly position: number;
  /** The value as printed (a category, or the number). */
  readonly label: string;
  /** The trial's metric (colours its line); null when it has none yet. */
  readonly metric: number | null;
}

/**
 * Where each trial crosses each axis, in [0, 1]: numeric axes min-max scaled (log10 when
 * asked), categorical ones evenly spaced in first-seen order, the metric axis last. Pure, so
 * the placement can be checked without drawing.
 * Two trials with lr 0.001 and 0.1 (log axis) and models 'mlp', 'cnn': lr positions 0 and 1
 * (log10 -3 and -1 min-max scaled), model positions 0 and 1 (categories in first-seen order).
 */
export function parallelPoints(
  rows: readonly ParallelRow[],
  options: Pick<ParallelCoordinatesOptions, 'metricName' | 'logAxes'> = {},
): {
  /** Axis names, left to right: the hyperparameters, then the metric. */
  axes: string[];
  /** Every trial's point on every axis. */
  points: ParallelPoint[];
  /** Tick labels to draw on each axis. */
  ticks: Array<{
    /** The axis. */
    axis: string;
    /** Its 0-based position from the left. */
    order: number;
    /** Height of the tick in [0, 1]. */
    position: number;
    /** The tick's text. */
    label: string;
  }>;
} {
  const metricName = options.metricName ?? 'metric';
  const names = [...new Set(rows.flatMap((r) => Object.keys(r.values)))];
  if (names.includes(metricName))
    throw new Error(`parallelCoordinatesSpec: axis "${metricName}" is also the metric's name`);
  const axes = [...names, metricName];
  const axisValue = (row: ParallelRow, axis: string) =>
    axis === metricName ? row.metric : row.values[axis];
  const points: ParallelPoint[] = [];
  const ticks: Array<{ axis: string; order: number; position: number; label: string }> = [];
  axes.forEach((axis, order) => {
    const present = rows
      .map((r) => axisValue(r, axis))
      .filter((v) => v !== undefined && v !== null);
    const numeric = present.every((v) => typeof v === 'number');
    let place: (v: number | string) => number;
    if (numeric) {
      const nums = present as number[];
      const positive = nums.every((v) => v > 0);
      const log =
        options.logAxes?.includes(axis) ??
        (positive && nums.length > 1 && Math.max(...nums) / Math.min(...nums) > 10);
      const f = (v: number) => (log ? Math.log10(v) : v);
      const lo = Math.min(...nums.map(f));
      const hi = Math.max(...nums.map(f));
      place = (v) => (hi === lo ? 0.5 : (f(v as number) - lo) / (hi - lo));
      if (nums.length > 0) {
        const fmt = (v: number) =>
          Math.abs(v) < 1e-3 || Math.abs(v) >= 1e4 ? v.toExponential(1) : String(+v.toPrecision(4));
        const lowest = Math.min(...nums);
        const highest = Math.max(...nums);
        ticks.push({ axis, order, position: place(lowest), label: fmt(lowest) });
        if (highest !== lowest)
          ticks.push({ axis, order, position: place(highest), label: fmt(highest) });
      }
    } else {
      const categories = [...new Set(present.map(String))];
      place = (v) =>
        categories.length === 1 ? 0.5 : categories.indexOf(String(v)) / (categories.length - 1);
      for (const c of categories) ticks.push({ axis, order, position: place(c), label: c });
    }
    for (const row of rows) {
      const v = axisValue(row, axis);
      if (v === undefined || v === null) continue;
      points.push({
        id: row.id,
        axis,
        order,
        position: place(v),
        label: String(v),
        metric: row.metric,
      });
    }
  });
  return { axes, points, ticks };
}

/**
 * A parallel-coordinates view of a sweep: one vertical axis per hyperparameter and the
 * validation metric last, one line per trial coloured by the metric, so settings that lead
 * to good results stand out.
 * ```ts
 * const rows = trials.map((t) => ({
 *   id: t.id,
 *   values: { lr: t.lr, model: t.model },
 *   metric: t.valAccuracy,
 * }));
 * parallelCoordinatesSpec(rows, { metricName: 'val accuracy' });
 * ```
 */
export function parallelCoordinatesSpec(
  rows: readonly ParallelRow[],
  options: ParallelCoordinatesOptions = {},
): TopLevelSpec {
  if (rows.length === 0) throw new Error('parallelCoordinatesSpec: no trials to draw');
  const metricName = options.metricName ?? 'metric';
  const { axes, points, ticks } = parallelPoints(rows, options);
  const x = {
    field: 'order',
    type: 'quantitative' as const,
    scale: { domain: [0, axes.length - 1] },
    axis: null,
  };
  const y = {
    field: 'position',
    type: 'quantitative' as const,
    scale: { domain: [0, 1] },
    axis: null,
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(options.title ? { title: options.title } : {}),
    width: options.width ?? Math.max(320, 140 * axes.length),
    height: options.height ?? 260,
    layer: [
      {
        data: { values: axes.map((axis, order) => ({ axis, order })) },
        mark: { type: 'rule', color: '#999' },
        encoding: {
          x,
          y: { datum: 0, type: 'quantitative', scale: { domain: [0, 1] }, axis: null },
          y2: { datum: 1 },
        },
      },
      {
        data: { values: axes.map((axis, order) => ({ axis, order })) },
        mark: { type: 'text', dy: -12, fontWeight: 'bold' },
        encoding: {
          x,
          y: { datum: 1, type: 'quantitative', scale: { domain: [0, 1] }, axis: null },
          text: { field: 'axis' },
        },
      },
      {
        data: { values: points },
        mark: { type: 'line', strokeWidth: 2, opacity: 0.8 },
        encoding: {
          x,
          y,
          detail: { field: 'id' },
          color: {
            field: 'metric',
            type: 'quantitative',
            title: metricName,
            scale: { scheme: 'viridis' },
            // Clear of the last axis's labels.
            legend: { offset: 56 },
          },
          tooltip: [
            { field: 'id', title: 'trial' },
            { field: 'axis' },
            { field: 'label', title: 'value' },
            { field: 'metric', title: metricName, format: '.4f' },
          ],
        },
      },
      {
        data: { values: ticks },
        mark: { type: 'text', align: 'left', dx: 4, fontSize: 10, color: '#444' },
        encoding: { x, y, text: { field: 'label' } },
      },
    ],
  } as TopLevelSpec;
}
