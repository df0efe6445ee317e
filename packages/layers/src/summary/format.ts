import type { LayerSummary, ModelSummary } from './summarize.js';

/** Thousands separators: 138357544 -> '138,357,544'. */
export function groupDigits(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Short form with an SI prefix: 15470264320 -> '15.47 G'. */
export function siUnits(n: number): string {
  for (const [scale, prefix] of [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ] as const) {
    if (n >= scale) return `${(n / scale).toFixed(2)} ${prefix}`;
  }
  return String(n);
}

const COLUMNS: ReadonlyArray<{
  title: string;
  align: 'left' | 'right';
  cell: (row: LayerSummary) => string;
}> = [
  { title: 'Layer (type)', align: 'left', cell: (r) => `${r.name} (${r.type})` },
  { title: 'Output shape', align: 'left', cell: (r) => `[${r.outputShape.join(', ')}]` },
  { title: 'Params', align: 'right', cell: (r) => groupDigits(r.params) },
  { title: 'Frozen', align: 'right', cell: (r) => groupDigits(r.frozenParams) },
  { title: 'MACs', align: 'right', cell: (r) => groupDigits(r.macs) },
  { title: 'Connections', align: 'right', cell: (r) => groupDigits(r.connections) },
  {
    title: 'Receptive field',
    align: 'right',
    cell: (r) => (r.receptiveField ? r.receptiveField.join('x') : 'all'),
  },
];

/**
 * A Keras-like text table: one line per layer (name, type, output shape, parameters, frozen
 * parameters, MACs, connections, receptive field), then the totals. 'all' in the receptive
 * field column: the unit sees the whole input.
 * `console.log(formatSummary(summarize(model, [28, 28, 1])))` prints, for the 784-128-10 MLP,
 * "1 (Linear)  [128]  100,480 ..." and "Total params: 101,770".
 */
export function formatSummary(summary: ModelSummary): string {
  const cells = summary.layers.map((row) => COLUMNS.map((c) => c.cell(row)));
  const widths = COLUMNS.map((c, i) =>
    Math.max(c.title.length, ...cells.map((line) => line[i]!.length)),
  );
  const line = (values: readonly string[]) =>
    values
      .map((v, i) => (COLUMNS[i]!.align === 'left' ? v.padEnd(widths[i]!) : v.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  const width = widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1);
  const t = summary.totals;
  return [
    `Model: ${summary.model}, input [${summary.inputShape.join(', ')}] -> output [${summary.outputShape.join(', ')}]`,
    '='.repeat(width),
    line(COLUMNS.map((c) => c.title)),
    '='.repeat(width),
    ...cells.map(line),
    '='.repeat(width),
    `Total params: ${groupDigits(t.params)}`,
    `Trainable params: ${groupDigits(t.trainableParams)}`,
    `Frozen params: ${groupDigits(t.frozenParams)}`,
    `MACs per example: ${groupDigits(t.macs)} (${siUnits(t.macs)})`,
    `Connections per example: ${groupDigits(t.connections)}`,
    `Activations per example: ${groupDigits(t.activations)}`,
    '-'.repeat(width),
  ].join('\n');
}
