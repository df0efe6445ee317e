import { ArrayDataset } from '@tunelab/core';
import Papa from 'papaparse';
import { DataError } from '../errors.js';

/** Options of {@link parseCsv}. */
export interface CsvOptions {
  /** Name of the column holding the class label. Default 'label'. */
  label?: string;
}

/** A CSV file as a dataset: numeric feature columns and a class column. */
export interface CsvDataset {
  /** The rows as examples: inputShape [features.length], labels numbered as in `classes`. */
  readonly dataset: ArrayDataset;
  /** Feature column names, in order. */
  readonly features: readonly string[];
  /**
   * Class names. Non-negative integer labels are class ids (classes '0'..'max'); any other
   * labels are names, sorted, and numbered in that order.
   */
  readonly classes: readonly string[];
}

/** A plain decimal number: 12, -0.5, .5, 1e-3 (not 0x10, 0b1, Infinity or an empty cell). */
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Parses CSV text with a header row (papaparse: quoting, CRLF). Column names must be unique
 * and non-empty; every column other than the label must hold plain decimal numbers (`0x10`,
 * `Infinity` and empty cells are refused, though JavaScript's Number would take them); every
 * label must be non-empty. Errors name the file, the line, the column and the value.
 * ```ts
 * const csv = parseCsv('x1,x2,label\
 * 1,2,cat\
 * 3,4,dog\
 * 5,6,cat\
 * ', 'pets.csv');
 * csv.features; // ['x1', 'x2']
 * csv.classes; // ['cat', 'dog']: labels 0, 1, 0
 * ```
 */
export function parseCsv(text: string, file: string, options: CsvOptions = {}): CsvDataset {
  const labelColumn = options.label ?? 'label';
  const parsed = Papa.parse<string[]>(text.trim(), { skipEmptyLines: true });
  if (parsed.errors.length > 0) {
    const e = parsed.errors[0]!;
    throw new DataError(`${file}: line ${(e.row ?? 0) + 1}: ${e.message}`);
  }
  const [header, ...rows] = parsed.data;
  if (!header || rows.length === 0)
    throw new DataError(`${file}: expected a header line and at least one data line`);
  header.forEach((name, c) => {
    if (name.trim() === '')
      throw new DataError(`${file}: line 1, column ${c + 1}: empty column name`);
    const first = header.findIndex((other) => other.trim() === name.trim());
    if (first !== c)
      throw new DataError(
        `${file}: line 1: column name "${name.trim()}" appears twice (columns ${first + 1} and ${c + 1})`,
      );
  });
  const labelIndex = header.indexOf(labelColumn);
  if (labelIndex < 0)
    throw new DataError(
      `${file}: no column named "${labelColumn}" (columns: ${header.join(', ')}); choose the label column with --label`,
    );
  const features = header.filter((_, i) => i !== labelIndex);
  if (features.length === 0)
    throw new DataError(`${file}: no feature columns besides "${labelColumn}"`);

  const x = new Float32Array(rows.length * features.length);
  const rawLabels: string[] = [];
  rows.forEach((row, r) => {
    const line = r + 2;
    if (row.length !== header.length)
      throw new DataError(
        `${file}: line ${line}: ${row.length} fields, the header has ${header.length}`,
      );
    let k = 0;
    row.forEach((cell, c) => {
      if (c === labelIndex) {
        if (cell.trim() === '')
          throw new DataError(
            `${file}: line ${line}, column "${header[c]}": empty label, expected a class name or id`,
          );
        rawLabels.push(cell.trim());
        return;
      }
      const value = Number(cell);
      if (!DECIMAL.test(cell.trim()) || !Number.isFinite(value)) {
        throw new DataError(
          `${file}: line ${line}, column "${header[c]}": expected a decimal number, got ${JSON.stringify(cell)}`,
        );
      }
      x[r * features.length + k++] = value;
    });
  });

  const numeric = rawLabels.every((l) => /^\d+$/.test(l));
  let classes: string[];
  let y: Int32Array;
  if (numeric) {
    const ids = rawLabels.map(Number);
    const max = Math.max(...ids);
    classes = Array.from({ length: max + 1 }, (_, i) => String(i));
    y = Int32Array.from(ids);
  } else {
    classes = [...new Set(rawLabels)].sort();
    const index = new Map(classes.map((c, i) => [c, i]));
    y = Int32Array.from(rawLabels, (l) => index.get(l)!);
  }
  return {
    dataset: new ArrayDataset({ x, y, inputShape: [features.length], numClasses: classes.length }),
    features,
    classes,
  };
}
