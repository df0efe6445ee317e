import type { MetricEntry, SweepDetail, TrialWithRun } from '@tunelab/core/record';
import { describeValue } from '@tunelab/experiment';
import {
  type ParallelRow,
  parallelCoordinatesSpec,
  rankTrials,
  sweepGridSpec,
} from '@tunelab/reports';
import { drawChart } from '../charts.js';
import { escapeHtml, formatNumber, formatTime, statusBadge } from '../dom.js';
import { routeHash } from '../router.js';
import { needsSource, type Page } from './page.js';
import { trialPlace } from './trial-place.js';

/**
 * The hyperparameters that differ between trials, per trial, for the parallel-coordinates
 * view: the overrides (a model override by its name), numbers kept as numbers; the axes'
 * labels when no override varies. A sweep of explicit trials (cells with their own values)
 * places each trial by its axis positions first ('Model 2', 'Setting 1'), then its numbers
 * (epochs, optimizer.lr); an object override its axis already names is left out.
 */
export function trialParameters(
  trials: readonly TrialWithRun[],
): Array<Record<string, number | string>> {
  // Numbers stay numbers (a numeric axis); layers, models and the rest read as their labels.
  const plain = (v: unknown): number | string => (typeof v === 'number' ? v : describeValue(v));
  const explicit = trials.some((t) => t.title !== undefined);
  const rows = trials.map((t) => {
    const out: Record<string, number | string> = explicit ? { ...t.axes } : {};
    for (const [k, v] of Object.entries(t.overrides)) {
      if (k !== 'label' && !(explicit && k in t.axes)) out[k] = plain(v);
    }
    return out;
  });
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))].filter(
    (k) => new Set(rows.map((r) => String(r[k]))).size > 1,
  );
  if (keys.length === 0) return trials.map((t) => ({ ...t.axes }));
  return rows.map((r) => Object.fromEntries(keys.filter((k) => k in r).map((k) => [k, r[k]!])));
}

/** The sweep's heading, selection and leaderboard (redrawn live while trials run on workers). */
function summaryHtml(sweep: SweepDetail): string {
  const ranked = rankTrials(sweep.trials, sweep.mode);
  // A test selection metric exists only with evaluation.heldOut 'test' (the CLI refuses it otherwise).
  const onTest = /^test[A-Z]/.test(sweep.metric);
  const axes = sweep.axes;
  return `
      <h2>Sweep ${escapeHtml(sweep.name)} ${statusBadge(sweep.status)}</h2>
      ${sweep.problem ? `<p class="error">${escapeHtml(sweep.problem)}: showing the trials' run directories</p>` : ''}
      ${sweep.statusNote ? `<p class="muted">${escapeHtml(sweep.statusNote)}</p>` : ''}
      <p class="muted">${escapeHtml(sweep.id)} · ${sweep.trials.length} trials · selected by ${escapeHtml(sweep.mode === 'max' ? 'highest' : 'lowest')} ${escapeHtml(sweep.metric)} on ${onTest ? 'TEST data' : 'validation data'} · updated ${formatTime(sweep.updatedAt)}${sweep.rungs ? ` · successive halving at epochs ${sweep.rungs.join(', ')}` : ''}</p>
      ${onTest ? `<p class="warning" id="test-seen">The trials evaluated the TEST split during training and were selected on it (evaluation.heldOut 'test', a literal coursework reproduction): their test numbers are not an unbiased estimate of accuracy on new data.</p>` : ''}
      ${sweep.selection ? `<p>Selected: <strong>${escapeHtml(sweep.selection.trial)}</strong>, ${escapeHtml(sweep.selection.metric)} ${formatNumber(sweep.selection.value)} at epoch ${sweep.selection.epoch}.${onTest ? '' : ` Evaluate only this one on the test split: <code>tunelab eval &lt;runs&gt;/${escapeHtml(sweep.id)}/${escapeHtml(sweep.selection.trial)} --split test</code>`}</p>` : ''}
      <h3>Leaderboard</h3>
      <table class="runs leaderboard"><thead><tr><th>rank</th><th>trial</th>${axes.map((a) => `<th>${escapeHtml(a)}</th>`).join('')}<th>status</th><th>best ${escapeHtml(sweep.metric)}</th><th>best epoch</th><th>target epochs</th></tr></thead>
      <tbody>${ranked
        .map((t, i) => {
          const chosen = sweep.selection?.trial === t.id;
          const name = t.runId
            ? `<a href="${routeHash({ page: 'run', id: t.runId })}">${escapeHtml(t.id)}</a>`
            : escapeHtml(t.id);
          return `<tr data-trial="${escapeHtml(t.id)}"${chosen ? ' class="selected"' : ''}><td class="num">${t.best ? i + 1 : '–'}</td><td>${name}${chosen ? ' <span class="tag">selected</span>' : ''}<div class="muted small">${escapeHtml(t.label)}${t.title ? ` · ${escapeHtml(t.title)}` : ''}</div></td>
            ${axes.map((a) => `<td>${escapeHtml(t.axes[a] ?? '–')}</td>`).join('')}<td>${statusBadge(t.status)}${trialPlace(t)}${t.error ? `<div class="error small">${escapeHtml(t.error)}</div>` : ''}</td>
            <td class="num">${formatNumber(t.best?.value)}</td><td class="num best-epoch">${t.best?.epoch ?? '–'}</td><td class="num">${t.targetEpochs}</td></tr>`;
        })
        .join('')}</tbody></table>`;
}

/** A sweep: the leaderboard with each trial's best epoch, hyperparameters against the metric, and the curve grid. */
export function sweepPage(id: string): Page {
  return async (ctx) => {
    if (needsSource(ctx)) return () => {};
    const source = ctx.source!;
    const sweep = await source.sweep(id);
    const axes = sweep.axes;
    ctx.root.innerHTML = `
      <div id="summary">${summaryHtml(sweep)}</div>
      <p><a id="compare-trials" href="${routeHash({ page: 'compare', ids: sweep.trials.flatMap((t) => (t.runId ? [t.runId] : [])) })}">Compare all trials' curves</a></p>
      <h3>Hyperparameters against ${escapeHtml(sweep.metric)}</h3><div id="parallel" class="chart"></div>
      <h3>Curves</h3><div id="grid" class="chart"><p class="muted">reading trials...</p></div>`;
    const $ = (s: string) => ctx.root.querySelector<HTMLElement>(s)!;

    const parameters = trialParameters(sweep.trials);
    const rows: ParallelRow[] = sweep.trials.map((t, i) => ({
      id: t.id,
      values: parameters[i]!,
      metric: t.best?.value ?? null,
    }));
    await drawChart($('#parallel'), () =>
      parallelCoordinatesSpec(rows, { metricName: sweep.metric }),
    );

    const started = sweep.trials.filter((t) => t.runId);
    const metrics = await Promise.all(
      started.map((t) => source.metrics(t.runId!).catch((): MetricEntry[] => [])),
    );
    const [columnAxis, ...rowAxes] = axes;
    const periodic = metrics.some((m) =>
      m.some((e) => e.kind === 'evaluation' && e.split === 'periodic'),
    );
    if (!metrics.some((m) => m.some((e) => e.kind === 'epoch')))
      // A queued sweep before its first epoch: nothing to draw yet (reload to see the curves).
      $('#grid').innerHTML = '<p class="muted">no trial has finished an epoch yet</p>';
    else
      await drawChart($('#grid'), () =>
        sweepGridSpec(
          started.map((t, i) => ({
            column: columnAxis ? (t.axes[columnAxis] ?? t.id) : t.id,
            row: rowAxes.length ? rowAxes.map((a) => t.axes[a]).join(', ') : '',
            metrics: metrics[i]!,
            title: t.title,
          })),
          {
            metric: 'accuracy',
            x: periodic ? 'samples' : 'epoch',
            columnTitle: columnAxis ?? 'trial',
            rowTitle: rowAxes.join(', ') || ' ',
          },
        ),
      );
    // Live: the server pushes the listing when sweep.json changes (a trial queued, taken by
    // a worker, finished); the heading and leaderboard follow.
    let updatedAt = sweep.updatedAt;
    const stop = source.watchListing?.((listing) => {
      const listed = listing.sweeps.find((s) => s.id === id);
      if (!listed || listed.updatedAt === updatedAt) return;
      updatedAt = listed.updatedAt;
      void source.sweep(id).then((next) => {
        $('#summary').innerHTML = summaryHtml(next);
      });
    });
    return () => stop?.();
  };
}
