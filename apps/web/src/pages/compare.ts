import type { MetricEntry, RunDetail } from '@tunelab/core/record';
import { compareCurvesSpec } from '@tunelab/reports';
import { drawChart } from '../charts.js';
import { escapeHtml, formatNumber, statusBadge } from '../dom.js';
import { facetsOf, metricKeys } from '../listing.js';
import { routeHash } from '../router.js';
import { needsSource, type Page } from './page.js';

/** Several runs side by side: their curves overlaid (train dashed, validation solid) and their numbers in one table. */
export function comparePage(ids: readonly string[]): Page {
  return async (ctx) => {
    if (needsSource(ctx)) return () => {};
    const source = ctx.source!;
    if (ids.length === 0) {
      ctx.root.innerHTML = `<h2>Compare runs</h2><p>Select runs in the <a href="${routeHash({ page: 'runs' })}">runs list</a> and press <em>Compare selected</em>.</p>`;
      return () => {};
    }
    const runs: Array<RunDetail & { metrics: MetricEntry[] }> = await Promise.all(
      ids.map(async (id) => ({ ...(await source.run(id)), metrics: await source.metrics(id) })),
    );
    // Names label the lines; a name shared by two runs falls back to the ids.
    const names = runs.map((r) => r.record.name);
    const label = (i: number) =>
      names.filter((n) => n === names[i]).length > 1 ? runs[i]!.id : names[i]!;
    const periodic = runs.some((r) => r.metrics.some((m) => m.kind === 'evaluation'));

    ctx.root.innerHTML = `
      <h2>Compare ${runs.length} runs</h2>
      <div class="filters">
        <label>x axis <select id="x"><option value="epoch">epoch</option>${periodic ? '<option value="samples">training samples</option>' : ''}</select></label>
        <label>splits <select id="splits"><option value="train,validation">train and validation</option><option value="validation">validation only</option><option value="train">train only</option></select></label>
      </div>
      <div id="overlay" class="chart"></div>
      <div id="compare-table" class="table-wrap"></div>`;
    const $ = <T extends HTMLElement>(s: string) => ctx.root.querySelector<T>(s)!;
    const draw = () =>
      drawChart($('#overlay'), () =>
        compareCurvesSpec(
          runs.map((r, i) => ({ label: label(i), metrics: r.metrics })),
          {
            x: $<HTMLSelectElement>('#x').value as 'epoch' | 'samples',
            splits: $<HTMLSelectElement>('#splits').value.split(','),
          },
        ),
      );
    $('#x').addEventListener('change', () => void draw());
    $('#splits').addEventListener('change', () => void draw());

    const metrics = metricKeys(runs);
    $('#compare-table').innerHTML =
      `<table class="runs"><thead><tr><th>run</th><th>status</th><th>model</th><th>dataset</th><th>epochs</th><th>best (epoch)</th>${metrics.map((m) => `<th>${escapeHtml(m)}</th>`).join('')}</tr></thead><tbody>${runs
        .map((run, i) => {
          const r = run.record;
          const f = facetsOf(run);
          return `<tr data-run="${escapeHtml(run.id)}"><td><a href="${routeHash({ page: 'run', id: run.id })}">${escapeHtml(label(i))}</a></td><td>${statusBadge(r.status)}</td><td>${escapeHtml(f.model ?? '–')}</td><td>${escapeHtml(f.dataset ?? '–')}</td>
          <td class="num">${r.progress.epoch}/${r.progress.epochs}</td><td class="num">${r.best ? `${formatNumber(r.best.value)} (${r.best.epoch})` : '–'}</td>
          ${metrics.map((m) => `<td class="num">${formatNumber(r.final?.[m])}</td>`).join('')}</tr>`;
        })
        .join('')}</tbody></table>`;
    await draw();
    return () => {};
  };
}
