import type { Table } from './table.js';

/** The JSON shape of a model summary (as `tunelab summary --json` prints it). */
export interface ModelSummaryJson {
  /** One entry per layer, in order. */
  readonly layers: ReadonlyArray<{
    /** Dotted layer name ('block1_conv1', 'layer1.0.conv1'). */
    readonly name: string;
    /** Layer kind ('Conv2D', ...). */
    readonly type: string;
    /** Output shape per example (no batch axis). */
    readonly outputShape: readonly (number | null)[];
    /** Parameters owned by the layer. */
    readonly params: number;
    /** Of those, the ones the optimizer updates. */
    readonly trainableParams?: number;
    /** Of those, the frozen ones. */
    readonly frozenParams?: number;
    /** Multiply-accumulates per example. */
    readonly macs: number;
    /** Connections per example, as LeNet counts them. */
    readonly connections?: number;
    /** Receptive field [height, width] in input pixels; null for non-spatial layers. */
    readonly receptiveField?: number | readonly number[] | null;
  }>;
  /** Sums over the layers. */
  readonly totals: {
    /** All parameters. */
    readonly params: number;
    /** Parameters the optimizer updates. */
    readonly trainableParams: number;
    /** Multiply-accumulates per example. */
    readonly macs: number;
  };
}

/**
 * A model summary as a table: one row per layer, then the totals.
 * `toMarkdown(modelSummaryTable(summarize(model, [28, 28, 1])))` has a row per layer, e.g.
 * '| 1 | Linear | 128 | 100,480 | 0 | 100,352 | 100,480 | – |', then
 * '| total |  |  | 101,770 | ...'.
 */
export function modelSummaryTable(summary: ModelSummaryJson): Table {
  const rf = (v: number | readonly number[] | null | undefined) =>
    v === null || v === undefined ? null : Array.isArray(v) ? v.join('x') : String(v);
  return {
    columns: [
      { key: 'name', title: 'layer' },
      { key: 'type', title: 'type' },
      { key: 'outputShape', title: 'output shape' },
      { key: 'params', title: 'params' },
      { key: 'frozen', title: 'frozen' },
      { key: 'macs', title: 'MACs' },
      { key: 'connections', title: 'connections' },
      { key: 'receptiveField', title: 'receptive field', align: 'right' },
    ],
    rows: [
      ...summary.layers.map((l) => ({
        name: l.name,
        type: l.type,
        outputShape: l.outputShape.map((d) => (d === null ? '?' : d)).join(' x '),
        params: l.params,
        frozen: l.frozenParams ?? 0,
        macs: l.macs,
        connections: l.connections ?? null,
        receptiveField: rf(l.receptiveField),
      })),
      {
        name: 'total',
        type: '',
        outputShape: '',
        params: summary.totals.params,
        frozen: summary.totals.params - summary.totals.trainableParams,
        macs: summary.totals.macs,
        connections: null,
        receptiveField: null,
      },
    ],
  };
}
