import type { RunsListing } from '@tunelab/core/record';
import { escapeHtml, formatNumber, formatTime, statusBadge } from '../dom.js';
import {
  EMPTY_QUERY,
  facetsOf,
  facetValues,
  filterRuns,
  metricKeys,
  type RunQuery,
  type SortKey,
  sortRuns,
} from '../listing.js';
import { routeHash } from '../router.js';
import { needsSource, type Page } from './page.js';

const FACETS = ['dataset', 'model', 'status', 'tag'] as const;

/** The runs list: search, filters, sortable columns (any final metric), selection to compare, sweeps. */
export const runsPage: Page = async (ctx) => {
  if (needsSource(ctx)) return () => {};
  const source = ctx.source!;
  let query: RunQuery = { ...EMPTY_QUERY };
  let sort: { key: SortKey; direction: 'asc' | 'desc' } = { key: 'created', direction: 'desc' };
  const selected = new Set<string>();
  let listing: RunsListing = await source.listing();

  ctx.root.innerHTML = `
    <h2>Runs <span class="muted">in ${escapeHtml(source.label)}</span></h2>
    <div class="filters">
      <input id="search" type="search" placeholder="search name, id, model, tag" aria-label="search runs" />
      ${FACETS.map((f) => `<label>${f} <select id="filter-${f}" data-facet="${f}"></select></label>`).join('')}
      <button id="compare" disabled>Compare selected</button>
    </div>
    <table class="runs"><thead></thead><tbody></tbody></table>
    <p id="count" class="muted"></p>
    <section id="sweeps"></section>
    <section id="problems"></section>`;
  const $ = <T extends Element>(s: string) => ctx.root.querySelector<T>(s)!;
  const compare = $<HTMLButtonElement>('#compare');

  const renderFilters = () => {
    const values = facetValues(listing.runs);
    for (const facet of FACETS) {
      const select = $<HTMLSelectElement>(`#filter-${facet}`);
      const current = query[facet];
      select.innerHTML = [
        '<option value="">any</option>',
        ...values[facet].map(
          (v) => `<option${v === current ? ' selected' : ''}>${escapeHtml(v)}</option>`,
        ),
      ].join('');
    }
  };

  const renderTable = () => {
    const metrics = metricKeys(listing.runs);
    const columns: Array<{ key: SortKey | null; title: string }> = [
      { key: null, title: '' },
      { key: 'name', title: 'run' },
      { key: 'status', title: 'status' },
      { key: null, title: 'dataset' },
      { key: null, title: 'model' },
      { key: 'epoch', title: 'epochs' },
      { key: 'best', title: 'best (epoch)' },
      ...metrics.map((m) => ({ key: `final:${m}` as SortKey, title: m })),
      { key: 'created', title: 'created' },
    ];
    $('thead').innerHTML = `<tr>${columns
      .map((c) => {
        if (!c.key) return `<th>${escapeHtml(c.title)}</th>`;
        const arrow = sort.key === c.key ? (sort.direction === 'asc' ? ' ▲' : ' ▼') : '';
        return `<th class="sortable" data-sort="${escapeHtml(c.key)}" aria-sort="${sort.key === c.key ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'}">${escapeHtml(c.title)}${arrow}</th>`;
      })
      .join('')}</tr>`;
    const shown = sortRuns(filterRuns(listing.runs, query), sort.key, sort.direction);
    $('tbody').innerHTML = shown
      .map((run) => {
        const r = run.record;
        const f = facetsOf(run);
        const best = r.best ? `${formatNumber(r.best.value)} (${r.best.epoch})` : '–';
        const tags = f.tags.map((t) => `<span class="tag">${escapeHtml(t)}</span>`).join(' ');
        return `<tr data-run="${escapeHtml(run.id)}">
          <td><input type="checkbox" class="pick" aria-label="select ${escapeHtml(run.id)}" ${selected.has(run.id) ? 'checked' : ''} /></td>
          <td><a href="${routeHash({ page: 'run', id: run.id })}">${escapeHtml(r.name)}</a> ${tags}<div class="muted small">${escapeHtml(run.id)}</div>${(run.problems ?? []).map((p) => `<div class="error small">${escapeHtml(p)}</div>`).join('')}</td>
          <td>${statusBadge(r.status)}${run.statusNote ? `<div class="muted small">${escapeHtml(run.statusNote)}</div>` : ''}</td>
          <td>${escapeHtml(f.dataset ?? '–')}</td>
          <td>${escapeHtml(f.model ?? '–')}</td>
          <td class="num">${r.progress.epoch}/${r.progress.epochs}</td>
          <td class="num">${best}</td>
          ${metrics.map((m) => `<td class="num">${formatNumber(r.final?.[m])}</td>`).join('')}
          <td>${formatTime(r.createdAt)}</td>
        </tr>`;
      })
      .join('');
    $('#count').textContent = `${shown.length} of ${listing.runs.length} runs`;
    compare.disabled = selected.size < 1;
    compare.textContent = `Compare selected (${selected.size})`;
  };

  const renderSweeps = () => {
    const sweeps = listing.sweeps;
    $('#sweeps').innerHTML = sweeps.length
      ? `<h3>Sweeps</h3><table class="sweeps"><thead><tr><th>sweep</th><th>status</th><th>trials done</th><th>selection</th><th>updated</th></tr></thead><tbody>${sweeps
          .map(
            (
              s,
            ) => `<tr data-sweep="${escapeHtml(s.id)}"><td><a href="${routeHash({ page: 'sweep', id: s.id })}">${escapeHtml(s.name)}</a><div class="muted small">${escapeHtml(s.id)}</div>${s.problem ? `<div class="error small">${escapeHtml(s.problem)}</div>` : ''}</td>
              <td>${statusBadge(s.status)}${s.statusNote ? `<div class="muted small">${escapeHtml(s.statusNote)}</div>` : ''}</td><td class="num">${s.done}/${s.trials}</td>
              <td>${s.selection ? `${escapeHtml(s.selection.trial)}: ${escapeHtml(s.selection.metric)} ${formatNumber(s.selection.value)} at epoch ${s.selection.epoch}` : '–'}</td>
              <td>${formatTime(s.updatedAt)}</td></tr>`,
          )
          .join('')}</tbody></table>`
      : '';
    $('#problems').innerHTML = listing.problems.length
      ? `<h3>Unreadable runs</h3><ul class="problems">${listing.problems.map((p) => `<li><code>${escapeHtml(p.id)}</code>: ${escapeHtml(p.error)}</li>`).join('')}</ul>`
      : '';
  };

  const renderAll = () => {
    renderFilters();
    renderTable();
    renderSweeps();
  };
  renderAll();

  $<HTMLInputElement>('#search').addEventListener('input', (e) => {
    query = { ...query, text: (e.target as HTMLInputElement).value };
    renderTable();
  });
  for (const facet of FACETS)
    $<HTMLSelectElement>(`#filter-${facet}`).addEventListener('change', (e) => {
      query = { ...query, [facet]: (e.target as HTMLSelectElement).value };
      renderTable();
    });
  $('thead').addEventListener('click', (e) => {
    const th = (e.target as Element).closest<HTMLElement>('th[data-sort]');
    if (!th) return;
    const key = th.dataset.sort as SortKey;
    // Metrics and "best" read best from the top; names and dates too the first time.
    sort =
      sort.key === key
        ? { key, direction: sort.direction === 'asc' ? 'desc' : 'asc' }
        : { key, direction: key === 'name' ? 'asc' : 'desc' };
    renderTable();
  });
  $('tbody').addEventListener('change', (e) => {
    const box = e.target as HTMLInputElement;
    if (!box.classList.contains('pick')) return;
    const id = box.closest<HTMLElement>('tr')!.dataset.run!;
    if (box.checked) selected.add(id);
    else selected.delete(id);
    renderTable();
  });
  compare.addEventListener('click', () => ctx.navigate({ page: 'compare', ids: [...selected] }));

  // Live: the server pushes the whole listing whenever a run or sweep appears or changes.
  const stop = source.watchListing?.((next) => {
    listing = next;
    renderAll();
  });
  return () => stop?.();
};
