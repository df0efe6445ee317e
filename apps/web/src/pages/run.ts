import type { ArtifactListing } from '@tunelab/core/record';
import {
  ARTIFACT_FILES,
  type MetricEntry,
  modelSummarySchema,
  type RunRecord,
} from '@tunelab/core/record';
import {
  confusionMatrixSpec,
  learningCurveSpec,
  modelSummaryTable,
  toHtml,
} from '@tunelab/reports';
import { drawChart } from '../charts.js';
import {
  errorBlock,
  escapeHtml,
  formatBytes,
  formatNumber,
  formatTime,
  statusBadge,
  throttle,
} from '../dom.js';
import { routeHash } from '../router.js';
import type { RunSource } from '../source/types.js';
import { needsSource, type Page } from './page.js';

/** One run: status, live learning curves, final metrics, config, environment, model summary, confusion matrix, artifacts. */
export function runPage(id: string): Page {
  return async (ctx) => {
    if (needsSource(ctx)) return () => {};
    const source = ctx.source!;
    const detail = await source.run(id);
    let record = detail.record;
    let metrics: MetricEntry[] = await source.metrics(id);
    let artifactCount = record.artifacts.length;

    ctx.root.innerHTML = `
      <header id="run-header"></header>
      <section><h3>Learning curves</h3><div id="curves" class="chart"></div><div id="curves-samples" class="chart"></div></section>
      <section class="columns">
        <div><h3>Final metrics</h3><div id="final"></div></div>
        <div><h3>Data</h3><div id="data"></div></div>
      </section>
      <section id="summary"></section>
      <section id="confusion"></section>
      <section><h3>Artifacts</h3><div id="artifacts"></div></section>
      <section class="columns">
        <div><h3>Config</h3><pre id="config"></pre></div>
        <div><h3>Environment</h3><div id="environment"></div></div>
      </section>`;
    const $ = (s: string) => ctx.root.querySelector<HTMLElement>(s)!;

    const renderRecord = (r: RunRecord) => {
      const sweep = detail.sweep
        ? ` · sweep <a href="${routeHash({ page: 'sweep', id: detail.sweep })}">${escapeHtml(detail.sweep)}</a>`
        : '';
      $('#run-header').innerHTML = `
        <h2>${escapeHtml(r.name)} ${statusBadge(r.status)}</h2>
        <p class="muted">${escapeHtml(id)}${sweep} · created ${formatTime(r.createdAt)}${r.endedAt ? ` · ended ${formatTime(r.endedAt)}` : ''}</p>
        <p id="progress">epoch <strong>${r.progress.epoch}</strong> of ${r.progress.epochs} · ${formatNumber(r.progress.step)} updates · backend ${escapeHtml(r.environment.backend)} · seed ${r.seed}
        ${r.best ? ` · best ${escapeHtml(r.best.metric)} <strong>${formatNumber(r.best.value)}</strong> at epoch ${r.best.epoch}` : ''}</p>
        ${r.stopDetail ? `<p>stopped: ${escapeHtml(r.stopDetail)}</p>` : ''}
        ${r.error ? `<p class="error">${escapeHtml(r.error.message)}</p>` : ''}
        ${r.heldOut === 'test' ? `<p class="warning" id="test-seen">The held-out curves are on the TEST split, evaluated during training (evaluation.heldOut 'test', a literal coursework reproduction): they are not an unbiased estimate of accuracy on new data.</p>` : ''}
        ${r.status === detail.record.status && detail.statusNote ? `<p class="muted">${escapeHtml(detail.statusNote)}</p>` : ''}
        ${(detail.problems ?? []).map((p) => `<p class="error">${escapeHtml(p)}</p>`).join('')}
        ${
          r.testEvaluations.length
            ? `<p class="warning">test split evaluated ${r.testEvaluations.length} time(s): ${r.testEvaluations
                .map(
                  (t) =>
                    `${formatTime(t.at)} ${Object.entries(t.metrics)
                      .map(([k, v]) => `${escapeHtml(k)} ${formatNumber(v)}`)
                      .join(', ')}`,
                )
                .join('; ')}</p>`
            : ''
        }`;
      const final = Object.entries(r.final ?? {});
      $('#final').innerHTML = final.length
        ? `<table class="kv">${final.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td class="num">${formatNumber(v)}</td></tr>`).join('')}</table>`
        : '<p class="muted">no epoch finished yet</p>';
      $('#config').textContent = JSON.stringify(r.config, null, 2);
      $('#data').innerHTML = dataTable(r.data);
      $('#environment').innerHTML = environmentTable(r);
    };

    const renderCurves = () => {
      const epochs = metrics.filter((m) => m.kind === 'epoch');
      const periodic = metrics.some((m) => m.kind === 'evaluation' && m.split === 'periodic');
      const curves = $('#curves');
      curves.dataset.entries = String(epochs.length);
      if (epochs.length === 0) curves.innerHTML = '<p class="muted">no epoch finished yet</p>';
      else void drawChart(curves, () => learningCurveSpec(metrics, { title: 'per epoch' }));
      const samples = $('#curves-samples');
      if (periodic)
        void drawChart(samples, () =>
          learningCurveSpec(metrics, { title: 'periodic evaluations', x: 'samples' }),
        );
      else samples.innerHTML = '';
    };

    const renderArtifacts = async (list: ArtifactListing[]) => {
      $('#artifacts').innerHTML = list.length
        ? `<ul class="artifacts">${list.map((a) => `<li><a href="${escapeHtml(source.artifactUrl(id, a.name))}" target="_blank" rel="noopener">${escapeHtml(a.name)}</a> <span class="muted">${escapeHtml(a.kind)}, ${formatBytes(a.bytes)}${a.description ? ` – ${escapeHtml(a.description)}` : ''}</span></li>`).join('')}</ul>`
        : '<p class="muted">none yet</p>';
      await Promise.all([
        renderSummary(source, id, list, $('#summary')),
        renderConfusion(source, id, list, $('#confusion')),
      ]);
    };

    renderRecord(record);
    renderCurves();
    await renderArtifacts(detail.artifacts);

    let left = false;
    const redraw = throttle(() => {
      if (left) return;
      renderRecord(record);
      renderCurves();
    }, 250);
    const stop = source.watchRun?.(id, {
      snapshot(r, m) {
        record = r;
        metrics = m;
        redraw();
      },
      metrics(entries) {
        metrics = metrics.concat(entries);
        redraw();
      },
      record(r) {
        record = r;
        redraw();
        // A run that finishes writes its artifacts: list them again.
        if (r.artifacts.length !== artifactCount) {
          artifactCount = r.artifacts.length;
          void source.run(id).then((d) => renderArtifacts(d.artifacts));
        }
      },
      problem(message) {
        $('#progress').insertAdjacentHTML('afterend', errorBlock(new Error(message)));
      },
    });
    return () => {
      left = true;
      stop?.();
    };
  };
}

async function renderSummary(
  source: RunSource,
  id: string,
  artifacts: ArtifactListing[],
  el: HTMLElement,
): Promise<void> {
  if (!artifacts.some((a) => a.name === ARTIFACT_FILES.modelSummary)) return;
  try {
    const summary = modelSummarySchema.parse(
      JSON.parse(await source.artifactText(id, ARTIFACT_FILES.modelSummary)),
    );
    el.innerHTML = `<h3>Model summary</h3><div class="table-wrap">${toHtml(modelSummaryTable(summary))}</div>`;
  } catch (error) {
    el.innerHTML = `<h3>Model summary</h3>${errorBlock(error)}`;
  }
}

async function renderConfusion(
  source: RunSource,
  id: string,
  artifacts: ArtifactListing[],
  el: HTMLElement,
): Promise<void> {
  const files = artifacts.filter((a) => /^confusion-[\w-]+\.json$/.test(a.name));
  if (files.length === 0) return;
  el.innerHTML = `<h3>Confusion matrix</h3>${files.map((_, i) => `<div class="chart" id="confusion-${i}"></div>`).join('')}`;
  await Promise.all(
    files.map(async (file, i) => {
      const target = el.querySelector<HTMLElement>(`#confusion-${i}`)!;
      try {
        const json = JSON.parse(await source.artifactText(id, file.name)) as {
          split?: string;
          classes: string[];
          matrix: number[][];
        };
        await drawChart(target, () =>
          confusionMatrixSpec(json.matrix, json.classes, {
            title: `${json.split ?? 'validation'} split (rows: true class)`,
          }),
        );
      } catch (error) {
        target.innerHTML = errorBlock(error);
      }
    }),
  );
}

function dataTable(data: Record<string, unknown> | undefined): string {
  if (!data) return '<p class="muted">not recorded</p>';
  const split = data.split as
    | { sizes?: number[]; names?: string[]; fingerprint?: string; seed?: number }
    | undefined;
  const rows: Array<[string, string]> = [];
  if (typeof data.title === 'string' || typeof data.dataset === 'string')
    rows.push(['dataset', String(data.title ?? data.dataset)]);
  if (typeof data.location === 'string') rows.push(['from', data.location]);
  if (Array.isArray(data.inputShape)) rows.push(['input', data.inputShape.join(' x ')]);
  if (split?.sizes)
    rows.push([
      'split',
      split.sizes.map((s, i) => `${split.names?.[i] ?? i} ${formatNumber(s)}`).join(' / '),
    ]);
  if (split?.fingerprint) rows.push(['fingerprint', `${split.fingerprint} (seed ${split.seed})`]);
  if (typeof data.trainExamples === 'number')
    rows.push(['trained on', `${formatNumber(data.trainExamples)} examples`]);
  return `<table class="kv">${rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('')}</table>`;
}

function environmentTable(r: RunRecord): string {
  const e = r.environment;
  const attempts = e.backendAttempts
    .map(
      (a) =>
        `<tr><td>${escapeHtml(a.name)}</td><td>${escapeHtml(a.outcome)}</td><td class="muted">${escapeHtml(a.detail)}</td></tr>`,
    )
    .join('');
  const versions = Object.entries(e.versions)
    .map(([k, v]) => `${escapeHtml(k)} ${escapeHtml(v)}`)
    .join(', ');
  return `<table class="kv"><tr><th>backend</th><td>${escapeHtml(e.backend)}</td></tr>
    <tr><th>platform</th><td>${escapeHtml(`${e.platform} ${e.arch}`)}${e.cpus ? `, ${e.cpus} CPUs` : ''}${e.hostname ? `, ${escapeHtml(e.hostname)}` : ''}</td></tr>
    <tr><th>versions</th><td>${versions || '–'}</td></tr></table>
    ${attempts ? `<table class="attempts"><thead><tr><th>backend</th><th>outcome</th><th>why</th></tr></thead><tbody>${attempts}</tbody></table>` : ''}`;
}
