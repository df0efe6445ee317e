import type { TopLevelSpec } from 'vega-lite';

/** A column of a {@link Table}. */
export interface Column {
  /** Key of the value in each row. */
  readonly key: string;
  /** Header text. */
  readonly title: string;
  /** Formats numbers (default: up to 4 decimals); null and undefined print as an en dash. */
  readonly format?: (value: number) => string;
  /** Alignment. Default: right for numeric columns, left otherwise. */
  readonly align?: 'left' | 'right';
}

/** Rows of plain values under titled columns: rendered as Markdown, CSV, HTML or an image. */
export interface Table {
  /** The columns, left to right. */
  readonly columns: readonly Column[];
  /** One record per row, keyed by Column.key; null and undefined print as an en dash. */
  readonly rows: ReadonlyArray<Readonly<Record<string, string | number | null | undefined>>>;
  /**
   * Optional per-cell notes, parallel to `rows` (row index -> Column.key -> text): printed
   * after the value, "0.9123 (5 epochs, lr 0.0001)", and in CSV as a column of their own
   * beside the raw number.
   */
  readonly notes?: ReadonlyArray<Readonly<Record<string, string>> | undefined>;
}

const defaultFormat = (v: number) =>
  Number.isInteger(v) ? v.toLocaleString('en-US') : v.toFixed(4);

/**
 * The printed text of one cell.
 * A null cell prints as '–'; 0.8812 with `format: (v) => v.toFixed(3)` as '0.881'.
 */
export function cellText(table: Table, row: number, column: Column): string {
  const value = table.rows[row]![column.key];
  const note = table.notes?.[row]?.[column.key];
  const text =
    value === null || value === undefined || (typeof value === 'number' && Number.isNaN(value))
      ? '–'
      : typeof value === 'number'
        ? (column.format ?? defaultFormat)(value)
        : value;
  return note ? `${text} (${note})` : text;
}

const isNumeric = (table: Table, column: Column) =>
  column.align === 'right' || table.rows.some((r) => typeof r[column.key] === 'number');

/**
 * GitHub-flavoured Markdown, numbers right-aligned.
 * ```ts
 * const table = {
 *   columns: [{ key: 'model', title: 'model' }, { key: 'acc', title: 'val acc' }],
 *   rows: [{ model: 'mlp', acc: 0.8812 }],
 * };
 * toMarkdown(table);
 * // | model | val acc |
 * // |---|---:|
 * // | mlp | 0.8812 |
 * ```
 */
export function toMarkdown(table: Table): string {
  const escapePipes = (s: string) => s.replace(/\|/g, '\\|');
  const header = `| ${table.columns.map((c) => escapePipes(c.title)).join(' | ')} |`;
  const rule = `|${table.columns.map((c) => (isNumeric(table, c) ? '---:' : '---')).join('|')}|`;
  const body = table.rows.map(
    (_, r) => `| ${table.columns.map((c) => escapePipes(cellText(table, r, c))).join(' | ')} |`,
  );
  return `${[header, rule, ...body].join('\n')}\n`;
}

/**
 * RFC 4180 CSV with raw (unformatted) numbers, so spreadsheets get full precision.
 * The table of {@link toMarkdown} gives the lines 'model,val acc' and 'mlp,0.8812' (CRLF line
 * ends); a null cell is empty. A column with notes is followed by '<title> note'.
 */
export function toCsv(table: Table): string {
  const quote = (v: unknown) => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const noted = (c: Column) => table.notes?.some((n) => n?.[c.key] !== undefined) ?? false;
  const lines = [
    table.columns
      .flatMap((c) => (noted(c) ? [c.title, `${c.title} note`] : [c.title]))
      .map(quote)
      .join(','),
    ...table.rows.map((row, r) =>
      table.columns
        .flatMap((c) => (noted(c) ? [row[c.key], table.notes?.[r]?.[c.key]] : [row[c.key]]))
        .map(quote)
        .join(','),
    ),
  ];
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * An HTML <table> (escaped; style it with the report's CSS).
 * Numeric cells get class="num": `<td class="num">0.8812</td>`.
 */
export function toHtml(table: Table): string {
  const esc = (s: string) => s.replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`);
  const cls = (c: Column) => (isNumeric(table, c) ? ' class="num"' : '');
  const head = `<tr>${table.columns.map((c) => `<th${cls(c)}>${esc(c.title)}</th>`).join('')}</tr>`;
  const body = table.rows.map(
    (_, r) =>
      `<tr>${table.columns.map((c) => `<td${cls(c)}>${esc(cellText(table, r, c))}</td>`).join('')}</tr>`,
  );
  return `<table>\n<thead>${head}</thead>\n<tbody>\n${body.join('\n')}\n</tbody>\n</table>\n`;
}

/**
 * The table as a Vega-Lite chart of text marks (header on top, one line per row), so it
 * renders to SVG and PNG through the same renderer as the charts.
 * `await renderSvg(tableSpec(summaryTable(runs)))` is the summary table as an SVG image.
 */
export function tableSpec(table: Table, options: { title?: string } = {}): TopLevelSpec {
  const widths = table.columns.map(
    (c) =>
      Math.max(c.title.length, ...table.rows.map((_, r) => cellText(table, r, c).length)) * 7.2 +
      18,
  );
  const offsets = widths.map((_, i) => widths.slice(0, i).reduce((a, b) => a + b, 0));
  const rowHeight = 20;
  const cells = table.rows.flatMap((_, r) =>
    table.columns.map((c, i) => ({
      text: cellText(table, r, c),
      x: offsets[i]! + (isNumeric(table, c) ? widths[i]! - 9 : 9),
      align: isNumeric(table, c) ? 'right' : 'left',
      y: (r + 1.5) * rowHeight,
      band: r % 2,
    })),
  );
  const header = table.columns.map((c, i) => ({
    text: c.title,
    x: offsets[i]! + (isNumeric(table, c) ? widths[i]! - 9 : 9),
    align: isNumeric(table, c) ? 'right' : 'left',
    y: 0.5 * rowHeight,
  }));
  const width = widths.reduce((a, b) => a + b, 0);
  const height = (table.rows.length + 1) * rowHeight;
  const scale = (max: number) => ({ domain: [0, max], range: [0, max] });
  // Vega-Lite has no align channel: one text layer per alignment.
  const text = (data: Array<{ align: string }>, align: 'left' | 'right', bold: boolean) => ({
    data: { values: data.filter((d) => d.align === align) },
    mark: {
      type: 'text',
      baseline: 'middle',
      align,
      fontSize: 12,
      ...(bold ? { fontWeight: 'bold' } : {}),
    },
    encoding: {
      x: { field: 'x', type: 'quantitative', scale: scale(width), axis: null },
      y: { field: 'y', type: 'quantitative', scale: scale(height), axis: null },
      text: { field: 'text' },
    },
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(options.title ? { title: options.title } : {}),
    width,
    height,
    config: { view: { stroke: null } },
    layer: [
      {
        data: {
          values: table.rows.map((_, r) => ({
            y: (r + 1) * rowHeight,
            y2: (r + 2) * rowHeight,
            band: r % 2,
          })),
        },
        mark: { type: 'rect', color: '#f2f4f7' },
        transform: [{ filter: 'datum.band === 1' }],
        encoding: {
          x: { value: 0 },
          x2: { value: width },
          y: { field: 'y', type: 'quantitative', scale: scale(height), axis: null },
          y2: { field: 'y2' },
        },
      },
      {
        data: { values: [{ y: rowHeight }] },
        mark: { type: 'rule', color: '#333' },
        encoding: {
          x: { value: 0 },
          x2: { value: width },
          y: { field: 'y', type: 'quantitative', scale: scale(height), axis: null },
        },
      },
      text(header, 'left', true),
      text(header, 'right', true),
      text(cells, 'left', false),
      text(cells, 'right', false),
    ],
  } as unknown as TopLevelSpec;
}
