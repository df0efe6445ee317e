import { browserBackendCandidates, selectBackend } from '@tunelab/core';
import { learningCurveSpec, renderSvg } from '@tunelab/reports';
import { openRunFiles } from './run-files.js';

const backendEl = document.querySelector<HTMLDivElement>('#backend')!;
const runEl = document.querySelector<HTMLDivElement>('#run')!;
const drop = document.querySelector<HTMLDivElement>('#drop')!;
const input = document.querySelector<HTMLInputElement>('#files')!;

async function chooseBackend(): Promise<void> {
  const candidates = browserBackendCandidates({
    webgpu: () => import('@tensorflow/tfjs-backend-webgpu'),
    webgl: () => import('@tensorflow/tfjs-backend-webgl'),
    cpu: () => import('@tensorflow/tfjs-backend-cpu'),
  });
  try {
    const selection = await selectBackend({
      candidates,
      requested: new URLSearchParams(location.search).get('backend') ?? undefined,
    });
    const rows = selection.attempts.map(
      (a) =>
        `<tr><td>${a.name}</td><td>${a.outcome}</td><td class="muted">${escapeHtml(a.detail)}</td></tr>`,
    );
    backendEl.innerHTML = `<strong>${selection.name}</strong><table>${rows.join('')}</table>`;
    backendEl.dataset.backend = selection.name;
  } catch (error) {
    backendEl.innerHTML = `<span class="error">${escapeHtml((error as Error).message)}</span>`;
  }
}

async function showRun(files: File[]): Promise<void> {
  runEl.textContent = 'reading...';
  try {
    const run = await openRunFiles(files);
    const r = run.record;
    const final = Object.entries(r.final ?? {})
      .map(
        ([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${v === null ? '-' : v.toFixed(4)}</td></tr>`,
      )
      .join('');
    const epochs = run.metrics.filter((m) => m.kind === 'epoch');
    const chart = epochs.length
      ? await renderSvg(learningCurveSpec(epochs, { title: r.name }))
      : '<p class="muted">no epochs yet</p>';
    runEl.innerHTML =
      `<h3>${escapeHtml(r.name)} <span class="muted">${escapeHtml(r.id)}</span></h3>` +
      `<p>status <strong>${r.status}</strong>, epoch ${r.progress.epoch}/${r.progress.epochs}, backend ${escapeHtml(r.environment.backend)}, seed ${r.seed}</p>` +
      `<table>${final}</table><div id="curve">${chart}</div>`;
  } catch (error) {
    runEl.innerHTML = `<p class="error">${escapeHtml((error as Error).message)}</p>`;
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

input.addEventListener('change', () => void showRun([...(input.files ?? [])]));
drop.addEventListener('dragover', (event) => {
  event.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (event) => {
  event.preventDefault();
  drop.classList.remove('over');
  void showRun([...(event.dataTransfer?.files ?? [])]);
});

void chooseBackend();
