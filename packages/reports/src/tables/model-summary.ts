import type { Table } from './table.js';

/** The JSON shape of a model summary (as `tunelab summary --json` prints it). */
export interface ModelSummaryJson {
  readonly layers: ReadonlyArray<{
    readonly name: string;
    readonly type: string;
    readonly outputShape: readonly (number | null)[];
    readonly params: number;
    readonly trainableParams?: number;
    readonly frozenParams?: number;
    readonly macs: number;
    readonly connections?: number;
    readonly receptiveField?: number | readonly number[] | null;
  }>;
  readonly totals: {
    readonly params: number;
    readonly trainableParams: number;
    readonly macs: number;
  };
}

/** A model summary as a table: one row per layer, then the totals. */
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
