import { RUN_FORMAT, type RunRecord } from '@tunelab/core/record';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { htmlReport } from '../html/report.js';
import { renderSvg } from '../render.js';
import { modelSummaryTable } from './model-summary.js';
import { summaryTable } from './summary.js';
import { tableSpec, toCsv, toHtml, toMarkdown } from './table.js';

function run(name: string, model: string, vals: number[], test?: number) {
  const record: RunRecord = {
    format: RUN_FORMAT,
    id: name,
    name,
    status: 'completed',
    createdAt: 't',
    updatedAt: 't',
    config: { model: { name: model } },
    seed: 1,
    environment: {
      backend: 'wasm',
      backendAttempts: [],
      versions: {},
      platform: 'linux',
      arch: 'x64',
      cpus: 2,
    },
    progress: { epoch: vals.length, epochs: vals.length, step: 10 },
    final: { valAccuracy: vals.at(-1)! },
    testEvaluations: test === undefined ? [] : [{ at: 't', metrics: { testAccuracy: test } }],
    artifacts: [],
  };
  const metrics = vals.map((v, i) => ({
    kind: 'epoch' as const,
    epoch: i + 1,
    step: i,
    samples: i,
    seconds: i,
    lr: 0.1,
    time: 't',
    metrics: { valAccuracy: v },
  }));
  return { record, metrics };
}

describe('summary table', () => {
  const table = summaryTable([
    run('a-lr0.1', 'mlp', [0.8, 0.86, 0.84]),
    run('b-lr0.01', 'cnn', [0.7, 0.9], 0.8912),
  ]);

  it('reports the best validation accuracy with its epoch, and test accuracy only when evaluated', () => {
    expect(table.rows).toEqual([
      {
        model: 'mlp',
        setting: 'a-lr0.1',
        bestValAccuracy: 0.86,
        bestEpoch: 2,
        finalValAccuracy: 0.84,
        epochs: 3,
        testAccuracy: null,
        status: 'completed',
      },
      {
        model: 'cnn',
        setting: 'b-lr0.01',
        bestValAccuracy: 0.9,
        bestEpoch: 2,
        finalValAccuracy: 0.9,
        epochs: 2,
        testAccuracy: 0.8912,
        status: 'completed',
      },
    ]);
  });

  it('renders as Markdown, CSV and HTML', () => {
    expect(toMarkdown(table)).toBe(
      [
        '| model | setting | best val acc | best epoch | final val acc | epochs | test acc | status |',
        '|---|---|---:|---:|---:|---:|---:|---|',
        '| mlp | a-lr0.1 | 0.8600 | 2 | 0.8400 | 3 | – | completed |',
        '| cnn | b-lr0.01 | 0.9000 | 2 | 0.9000 | 2 | 0.8912 | completed |',
        '',
      ].join('\n'),
    );
    expect(toCsv(table).split('\r\n')[2]).toBe('cnn,b-lr0.01,0.9,2,0.9,2,0.8912,completed');
    const html = toHtml(table);
    expect(html.match(/<tr>/g)?.length).toBe(3);
    expect(html).toContain('<td class="num">0.8912</td>');
  });

  it('renders as an SVG image with every cell', async () => {
    const svg = await renderSvg(tableSpec(table, { title: 'summary' }));
    expect(XMLValidator.validate(svg)).toBe(true);
    for (const text of ['best val acc', '0.8600', '0.8912', 'b-lr0.01'])
      expect(svg).toContain(`>${text}</text>`);
  });

  it('escapes what would break Markdown, CSV or HTML', () => {
    const odd = { columns: [{ key: 'a', title: 'a|b' }], rows: [{ a: 'x,"y"<z>' }] };
    expect(toMarkdown(odd)).toContain('| a\\|b |');
    expect(toCsv(odd)).toBe('a|b\r\n"x,""y""<z>"\r\n');
    expect(toHtml(odd)).toContain('<td>x,&#34;y&#34;&#60;z&#62;</td>');
  });
});

describe('model summary table and HTML report', () => {
  it('lists layers then totals, with frozen counts', () => {
    // The model-summary.json of a run (the record contract in @tunelab/core).
    const t = modelSummaryTable({
      model: 'Sequential',
      inputShape: [32, 32, 1],
      outputShape: [10],
      layers: [
        {
          name: 'conv1',
          type: 'Conv2D',
          outputShape: [28, 28, 6],
          activations: 4_704,
          params: 156,
          trainableParams: 0,
          frozenParams: 156,
          macs: 117_600,
          connections: 122_304,
          receptiveField: [5, 5],
        },
        {
          name: 'fc',
          type: 'Linear',
          outputShape: [10],
          activations: 10,
          params: 850,
          trainableParams: 850,
          frozenParams: 0,
          macs: 840,
          connections: 850,
          receptiveField: null,
        },
      ],
      totals: {
        params: 1006,
        trainableParams: 850,
        frozenParams: 156,
        macs: 118_440,
        connections: 123_154,
        activations: 4_714,
      },
    });
    expect(toMarkdown(t).split('\n')[2]).toBe(
      '| conv1 | Conv2D | 28 x 28 x 6 | 156 | 156 | 117,600 | 122,304 | 5x5 |',
    );
    expect(t.rows.at(-1)).toMatchObject({ name: 'total', params: 1006, frozen: 156 });
  });

  it('builds a self-contained page: inline SVG and CSS, no scripts, nothing to fetch', async () => {
    const svg = await renderSvg(
      tableSpec({ columns: [{ key: 'x', title: 'x' }], rows: [{ x: 1 }] }),
    );
    const html = htmlReport('Run <1>', [
      { kind: 'heading', text: 'Curves' },
      { kind: 'figure', svg, caption: 'a caption' },
      { kind: 'html', html: '<table><tr><td>1</td></tr></table>' },
    ]);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<title>Run &#60;1&#62;</title>');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script|(src|href)="https?:/);
  });
});
