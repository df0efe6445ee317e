import { RUN_FORMAT, type RunRecord } from '@tunelab/core/record';
import { describe, expect, it } from 'vitest';
import { renderSvg } from '../render.js';
import { accuracyTable, pivotTable } from './pivot.js';
import { summaryTable } from './summary.js';
import { tableSpec, toCsv, toHtml, toMarkdown } from './table.js';

/** A finished coursework trial: its place, own settings and last epoch's metrics. */
function trial(
  model: string,
  setting: string,
  title: string,
  final: Record<string, number>,
  extra: Partial<RunRecord> = {},
) {
  const record: RunRecord = {
    format: RUN_FORMAT,
    id: `${model}-${setting}`,
    name: 'coursework',
    status: 'completed',
    createdAt: 't',
    updatedAt: 't',
    config: { model: { name: 'mlp' }, model_: model, setting, title },
    seed: 42,
    environment: {
      backend: 'wasm',
      backendAttempts: [],
      versions: {},
      platform: 'linux',
      arch: 'x64',
      cpus: 2,
    },
    progress: { epoch: 5, epochs: 5, step: 2800 },
    final,
    testEvaluations: [],
    artifacts: [],
    ...extra,
  };
  return { record, metrics: [] };
}

const cfg = (key: string) => (r: { record: RunRecord }) => String(r.record.config[key]);

describe('accuracy table (rows = models, columns = settings)', () => {
  const runs = [
    trial('Model 1', 'Setting 1', '5 epochs, lr 0.0001', { valAccuracy: 0.6412 }),
    trial('Model 1', 'Setting 2', '5 epochs, lr 0.001', { valAccuracy: 0.7905 }),
    trial('Model 2', 'Setting 1', '15 epochs, lr 0.0001', { valAccuracy: 0.7021 }),
    trial(
      'Model 2',
      'Setting 2',
      '15 epochs, lr 0.005',
      { valAccuracy: 0.8533 },
      {
        testEvaluations: [{ at: 't', metrics: { testAccuracy: 0.8477 } }],
      },
    ),
  ];
  const options = { row: cfg('model_'), column: cfg('setting'), note: cfg('title') };
  const table = accuracyTable(runs, options);

  it('puts each final validation accuracy where its model and setting meet, with its own values', () => {
    expect(toMarkdown(table)).toBe(
      [
        '| model | Setting 1 | Setting 2 |',
        '|---|---:|---:|',
        '| Model 1 | 0.6412 (5 epochs, lr 0.0001) | 0.7905 (5 epochs, lr 0.001) |',
        '| Model 2 | 0.7021 (15 epochs, lr 0.0001) | 0.8533 (15 epochs, lr 0.005) |',
        '',
      ].join('\n'),
    );
  });

  it('keeps raw numbers in CSV with the notes in columns of their own', () => {
    expect(toCsv(table).split('\r\n')).toEqual([
      'model,Setting 1,Setting 1 note,Setting 2,Setting 2 note',
      'Model 1,0.6412,"5 epochs, lr 0.0001",0.7905,"5 epochs, lr 0.001"',
      'Model 2,0.7021,"15 epochs, lr 0.0001",0.8533,"15 epochs, lr 0.005"',
      '',
    ]);
  });

  it('renders as HTML and as an image', async () => {
    expect(toHtml(table)).toContain('<td class="num">0.8533 (15 epochs, lr 0.005)</td>');
    const svg = await renderSvg(tableSpec(table, { title: 'Final validation accuracy' }));
    expect(svg).toContain('>0.8533 (15 epochs, lr 0.005)</text>');
    expect(svg).toContain('>Setting 2</text>');
  });

  it('shows test accuracy only for the trial evaluated on test after selection', () => {
    const test = accuracyTable(runs, { ...options, value: 'test' });
    expect(test.rows).toEqual([
      { row: 'Model 1', c1: null, c2: null },
      { row: 'Model 2', c1: null, c2: 0.8477 },
    ]);
    expect(toMarkdown(test)).toContain(
      '| Model 1 | – (5 epochs, lr 0.0001) | – (5 epochs, lr 0.001) |',
    );
  });

  it('reads test accuracy for runs that evaluated test during training, and says so in the summary', () => {
    const literal = [
      trial('Model 1', 'Setting 1', 'a', { testAccuracy: 0.61 }, { heldOut: 'test' }),
      trial('Model 1', 'Setting 2', 'b', { testAccuracy: 0.78 }, { heldOut: 'test' }),
    ];
    expect(accuracyTable(literal, options).rows).toEqual([{ row: 'Model 1', c1: 0.61, c2: 0.78 }]);
    const summary = summaryTable(literal);
    expect(summary.columns.map((c) => c.title)).toContain('final test acc (seen in training)');
    expect(summary.rows.map((r) => r.finalTestInTraining)).toEqual([0.61, 0.78]);
    expect(summary.rows.map((r) => r.finalValAccuracy)).toEqual([null, null]);
    // Without such a run the summary keeps its usual columns.
    expect(summaryTable(runs).columns.map((c) => c.key)).not.toContain('finalTestInTraining');
  });
});

describe('pivotTable', () => {
  it('orders rows and columns as asked and leaves a missing cell empty', () => {
    const table = pivotTable(
      [
        { row: 'b', column: 'y', value: 2 },
        { row: 'a', column: 'x', value: 1 },
      ],
      { rowTitle: 'r', rows: ['a', 'b'], columns: ['x', 'y'], format: (v) => v.toFixed(1) },
    );
    expect(toMarkdown(table)).toBe(
      '| r | x | y |\n|---|---:|---:|\n| a | 1.0 | – |\n| b | – | 2.0 |\n',
    );
    expect(toCsv(table)).toBe('r,x,y\r\na,1,\r\nb,,2\r\n');
  });
});
