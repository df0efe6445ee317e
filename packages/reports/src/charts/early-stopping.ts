import type { TopLevelSpec } from 'vega-lite';

/** Inputs of {@link earlyStoppingSpec}. */
export interface EarlyStoppingPlot {
  /** Validation error per epoch (epoch 1 first). */
  readonly validation: readonly number[];
  /** Training error per epoch, if known. */
  readonly training?: readonly number[];
  /** Each criterion's stop epoch (1-based) or null when it never stops. */
  readonly stops: Readonly<Record<string, number | null>>;
  /** Epoch of the smallest validation error. */
  readonly bestEpoch?: number;
  /** Chart title. Default none. */
  readonly title?: string;
  /** Name of the error on the y axis. Default 'error'. */
  readonly errorName?: string;
}

/**
 * Training and validation error per epoch with a vertical rule at each criterion's stop
 * epoch (labelled with the criterion) and at the best epoch.
 * ```ts
 * earlyStoppingSpec({
 *   validation: [1, 0.8, 0.7, 0.75, 0.9],
 *   stops: { GL_5: 4, 'patience 2': 5 }, // rules after epochs 4 and 5
 *   bestEpoch: 3,
 * });
 * ```
 */
export function earlyStoppingSpec(plot: EarlyStoppingPlot): TopLevelSpec {
  const curves = [
    ...plot.validation.map((value, i) => ({ epoch: i + 1, value, split: 'validation' })),
    ...(plot.training ?? []).map((value, i) => ({ epoch: i + 1, value, split: 'train' })),
  ];
  const marks = [
    ...Object.entries(plot.stops)
      .filter((e): e is [string, number] => e[1] !== null)
      .map(([criterion, epoch]) => ({ epoch, label: `${criterion} stops (${epoch})` })),
    ...(plot.bestEpoch !== undefined
      ? [{ epoch: plot.bestEpoch, label: `best (${plot.bestEpoch})` }]
      : []),
  ];
  // One line per label, in epoch order, so labels of nearby rules never overlap.
  const lastEpoch = Math.max(plot.validation.length, plot.training?.length ?? 0);
  const labelled = [...marks]
    .sort((a, b) => a.epoch - b.epoch)
    .map((m, i) => ({ ...m, dy: 13 * i, side: m.epoch >= lastEpoch ? 'right' : 'left' }));
  const labels = (side: 'left' | 'right') => ({
    data: { values: labelled.filter((m) => m.side === side) },
    mark: {
      type: 'text',
      align: side,
      dx: side === 'left' ? 3 : -3,
      baseline: 'top',
      fontSize: 10,
      color: '#333',
    },
    encoding: {
      x: { field: 'epoch', type: 'quantitative' },
      y: { value: 4 },
      yOffset: { field: 'dy', type: 'quantitative', scale: null },
      text: { field: 'label' },
    },
  });
  const splits = ['train', 'validation'].filter((s) => curves.some((c) => c.split === s));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(plot.title ? { title: plot.title } : {}),
    width: 480,
    height: 280,
    layer: [
      {
        data: { values: curves },
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'epoch', type: 'quantitative', axis: { tickMinStep: 1, format: 'd' } },
          y: {
            field: 'value',
            type: 'quantitative',
            title: plot.errorName ?? 'error',
            scale: { zero: false },
          },
          color: {
            legend: { orient: 'bottom' },
            field: 'split',
            type: 'nominal',
            scale: {
              domain: splits,
              range: splits.map((s) => (s === 'train' ? '#4c78a8' : '#f58518')),
            },
          },
        },
      },
      {
        data: { values: labelled },
        mark: { type: 'rule', strokeDash: [4, 3], color: '#555' },
        encoding: { x: { field: 'epoch', type: 'quantitative' } },
      },
      labels('left'),
      labels('right'),
    ],
  } as TopLevelSpec;
}
