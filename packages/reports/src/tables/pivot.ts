import { finalHeldOutAccuracy, type RunForReport, testAccuracy } from './summary.js';
import type { Column, Table } from './table.js';

/** One cell of a {@link pivotTable}: its row and column labels, its value and a note. */
export interface PivotCell {
  /** Row label, e.g. the model ('Model 2'). */
  readonly row: string;
  /** Column label, e.g. the setting ('Setting 2'). */
  readonly column: string;
  /** The number shown; null prints as an en dash. */
  readonly value: number | null;
  /** Printed after the value, e.g. the cell's own settings ('15 epochs, lr 0.005'). */
  readonly note?: string | undefined;
}

/** Options of {@link pivotTable}. */
export interface PivotOptions {
  /** Header of the first column (the row labels). Default ''. */
  rowTitle?: string;
  /** Row order. Default: first-seen order of the cells. */
  rows?: readonly string[];
  /** Column order. Default: first-seen order of the cells. */
  columns?: readonly string[];
  /** Formats the values. Default 4 decimals. */
  format?: (value: number) => string;
}

/**
 * A two-way table: one row per row label, one column per column label, each cell's value
 * (and note) where they meet; a missing cell is an en dash. The coursework's accuracy table:
 * cells { row: 'Model 1', column: 'Setting 1', value: 0.8712, note: '5 epochs, lr 0.0001' }, ...
 * give '| model | Setting 1 | ...' and '| Model 1 | 0.8712 (5 epochs, lr 0.0001) | ...' in
 * Markdown (with `rowTitle: 'model'`).
 */
export function pivotTable(cells: readonly PivotCell[], options: PivotOptions = {}): Table {
  const rows = options.rows ?? [...new Set(cells.map((c) => c.row))];
  const columns = options.columns ?? [...new Set(cells.map((c) => c.column))];
  const format = options.format ?? ((v: number) => v.toFixed(4));
  const at = new Map(cells.map((c) => [`${c.row}\u0000${c.column}`, c]));
  const keyOf = (i: number) => `c${i + 1}`;
  return {
    columns: [
      { key: 'row', title: options.rowTitle ?? '' },
      ...columns.map((title, i): Column => ({ key: keyOf(i), title, format, align: 'right' })),
    ],
    rows: rows.map((row) => ({
      row,
      ...Object.fromEntries(
        columns.map((column, i) => [keyOf(i), at.get(`${row}\u0000${column}`)?.value ?? null]),
      ),
    })),
    notes: rows.map((row) =>
      Object.fromEntries(
        columns.flatMap((column, i) => {
          const note = at.get(`${row}\u0000${column}`)?.note;
          return note ? [[keyOf(i), note]] : [];
        }),
      ),
    ),
  };
}

/** Options of {@link accuracyTable}. */
export interface AccuracyTableOptions {
  /** A run's row label (e.g. its model axis position). */
  row: (run: RunForReport) => string;
  /** A run's column label (e.g. its setting). */
  column: (run: RunForReport) => string;
  /** A note after the value (e.g. the trial's own settings); none when it returns undefined. */
  note?: (run: RunForReport) => string | undefined;
  /**
   * 'final' (default): the held-out accuracy of the last epoch, validation while tuning
   * ({@link finalHeldOutAccuracy}). 'test': the accuracy recorded by `tunelab eval --split
   * test`, for the trials evaluated on test after selection (others print an en dash).
   */
  value?: 'final' | 'test';
  /** Header of the row labels. Default 'model'. */
  rowTitle?: string;
}

/**
 * The coursework's summary table: rows = models, columns = settings, cells = final accuracy.
 * `toMarkdown(accuracyTable(runs, { row: (r) => model(r), column: (r) => setting(r) }))`.
 */
export function accuracyTable(runs: readonly RunForReport[], options: AccuracyTableOptions): Table {
  const value = options.value ?? 'final';
  return pivotTable(
    runs.map((run) => ({
      row: options.row(run),
      column: options.column(run),
      value: value === 'test' ? testAccuracy(run) : finalHeldOutAccuracy(run),
      note: options.note?.(run),
    })),
    { rowTitle: options.rowTitle ?? 'model' },
  );
}
