import type { ModelSummary } from '@tunelab/core';
import type { Table } from './table.js';

/**
 * A model summary as a table: one row per layer, then the totals.
 * `toMarkdown(modelSummaryTable(summarize(model, [28, 28, 1])))` has a row per layer, e.g.
 * '| 1 | Linear | 128 | 100,480 | 0 | 100,352 | 100,480 | – |', then
 * '| total |  |  | 101,770 | ...'.
 */
export function modelSummaryTable(summary: ModelSummary): Table {
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
        outputShape: l.outputShape.join(' x '),
        params: l.params,
        frozen: l.frozenParams,
        macs: l.macs,
        connections: l.connections,
        receptiveField: l.receptiveField?.join('x') ?? null,
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
