import { ArrayDataset } from '@tunelab/core';
import Papa from 'papaparse';

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

/**
 * Parses CSV text with a header row (papaparse: quoting, CRLF). Every column other than the
 * label must be numeric; errors name the file, the line and the column.
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
    throw new Error(`${file}: line ${(e.row ?? 0) + 1}: ${e.message}`);
  }
  const [header, ...rows] = parsed.data;
  if (!header || rows.length === 0)
    throw new Error(`${file}: expected a header line and at least one data line`);
  const labelIndex = header.indexOf(labelColumn);
  if (labelIndex < 0)
    throw new Error(
      `${file}: no column named "${labelColumn}" (columns: ${header.join(', ')}); choose the label column with --label`,
    );
  const features = header.filter((_, i) => i !== labelIndex);
  if (features.length === 0)
    throw new Error(`${file}: no feature columns besides "${labelColumn}"`);

  const x = new Float32Array(rows.length * features.length);
  const rawLabels: string[] = [];
  rows.forEach((row, r) => {
    const line = r + 2;
    if (row.length !== header.length)
      throw new Error(
        `${file}: line ${line}: ${row.length} fields, the header has ${header.length}`,
      );
    let k = 0;
    row.forEach((cell, c) => {
      if (c === labelIndex) {
        rawLabels.push(cell.trim());
        return;
      }
      const value = Number(cell);
      if (cell.trim() === '' || !Number.isFinite(value)) {
        throw new Error(
          `${file}: line ${line}, column "${header[c]}": expected a number, got ${JSON.stringify(cell)}`,
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
