import type { TopLevelSpec } from 'vega-lite';

/** A learning-rate schedule sampled at steps, e.g. `{ label: 'decay 0.01', lr: steps.map((s) => schedule.at(s)) }`. */
export interface ScheduleSeries {
  /** Legend entry, e.g. 'decay 0.001'. */
  readonly label: string;
  /** Learning rate at each of `steps`. */
  readonly lr: readonly number[];
}

/**
 * Several learning-rate schedules on one chart against the iteration (e.g. time-based decay
 * for three decay values). Schedules are pure functions of the step, so they are sampled
 * without training.
 * ```ts
 * const steps = [0, 500, 1000, 1500];
 * const schedule = timeDecay({ lr: 0.1, decay: 1e-3 }); // from @tunelab/optimizers
 * const lr = steps.map((t) => schedule.at(t)); // 0.1, 0.0667, 0.05, 0.04
 * scheduleSpec(steps, [{ label: 'decay 0.001', lr }]);
 * ```
 */
export function scheduleSpec(
  steps: readonly number[],
  series: readonly ScheduleSeries[],
  options: { title?: string; logScale?: boolean } = {},
): TopLevelSpec {
  for (const s of series) {
    if (s.lr.length !== steps.length)
      throw new Error(
        `scheduleSpec: "${s.label}" has ${s.lr.length} values for ${steps.length} steps`,
      );
  }
  const values = series.flatMap((s) =>
    steps.map((step, i) => ({ step, lr: s.lr[i]!, schedule: s.label })),
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(options.title ? { title: options.title } : {}),
    width: 480,
    height: 260,
    data: { values },
    mark: { type: 'line' },
    encoding: {
      x: { field: 'step', type: 'quantitative', title: 'iteration' },
      y: {
        field: 'lr',
        type: 'quantitative',
        title: 'learning rate',
        scale: options.logScale ? { type: 'log' } : { zero: true },
      },
      color: {
        field: 'schedule',
        type: 'nominal',
        title: 'schedule',
        sort: series.map((s) => s.label),
      },
    },
  } as TopLevelSpec;
}
