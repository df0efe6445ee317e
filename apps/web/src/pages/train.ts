import type { ArrayDataset, BackendSelection } from '@tunelab/core';
import type { MemoryRun, ServedDataset } from '@tunelab/core/record';
import { KNOWN_DATASETS } from '@tunelab/datasets';
import { zoo, zooNames } from '@tunelab/layers';
import { learningCurveSpec } from '@tunelab/reports';
import { drawChart } from '../charts.js';
import { dropZone, errorBlock, escapeHtml, formatBytes, formatNumber, throttle } from '../dom.js';
import { routeHash } from '../router.js';
import { chooseBackend } from '../train/backend.js';
import { datasetFromIdx, fetchServedDataset, type IdxFile } from '../train/data.js';
import { runFiles, runUpload } from '../train/save.js';
import { type TrainSettings, trainInBrowser } from '../train/session.js';
import type { Page } from './page.js';

/** Zoo models that take 28x28x1 inputs (MNIST, Fashion-MNIST), small enough for a browser. */
const MODELS = zooNames.filter((n) => zoo[n].inputShape.join() === '28,28,1');

/** Datasets already downloaded and parsed on this page, by name. */
const loaded = new Map<string, ArrayDataset>();

const field = (id: string, label: string, input: string, hint = '') =>
  `<label for="${id}">${label}</label>${input}<span class="muted small">${hint}</span>`;

/** Train a zoo model in the browser on WebGL/WebGPU, watch its curves, and save it as a run. */
export const trainPage: Page = async (ctx) => {
  const source = ctx.source;
  const served: ServedDataset[] = source?.datasets ? await source.datasets().catch(() => []) : [];
  let dropped: IdxFile[] = [];
  let controller: AbortController | null = null;
  let unwatch: (() => void) | undefined;

  ctx.root.innerHTML = `
    <h2>Train in the browser</h2>
    <p id="backend" class="muted">choosing a backend...</p>
    <form id="train-form" class="form-grid">
      ${field('dataset', 'dataset', `<select id="dataset">${served.map((d) => `<option value="${escapeHtml(d.name)}">${escapeHtml(d.title)} (from the server)</option>`).join('')}<option value="files">IDX files dropped below</option></select>`)}
      ${field('model', 'model', `<select id="model">${MODELS.map((m) => `<option${m === 'cnn4' ? ' selected' : ''} value="${m}">${m}</option>`).join('')}</select>`, 'zoo models for 28x28x1 images')}
      ${field('optimizer', 'optimizer', '<select id="optimizer"><option>adam</option><option>momentum</option><option>sgd</option></select>')}
      ${field('lr', 'learning rate', '<input id="lr" type="number" step="any" min="0" value="0.002" />')}
      ${field('batch', 'batch size', '<input id="batch" type="number" min="1" value="32" />')}
      ${field('epochs', 'epochs', '<input id="epochs" type="number" min="1" value="1" />')}
      ${field('train-limit', 'training examples', '<input id="train-limit" type="number" min="1" value="8000" />', 'the first N of the 80% training split')}
      ${field('val-limit', 'validation examples', '<input id="val-limit" type="number" min="1" value="1000" />')}
      ${field('every', 'evaluate every', '<input id="every" type="number" min="1" value="1600" />', 'training samples')}
      ${field('seed', 'seed', '<input id="seed" type="number" value="42" />')}
      <div class="buttons"><button id="start" type="submit">Train</button> <button id="stop" type="button" disabled>Stop</button></div>
    </form>
    <div id="drop" class="drop">Drop MNIST-format files here (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, ...) or <input id="idx-files" type="file" multiple /></div>
    <p id="status" class="muted"></p>
    <progress id="progress" max="1" value="0"></progress>
    <div id="live" class="chart"></div>
    <div id="train-result"></div>`;
  const $ = <T extends HTMLElement>(s: string) => ctx.root.querySelector<T>(s)!;
  const value = (id: string) => $<HTMLInputElement>(`#${id}`).value;
  const status = (html: string) => {
    $('#status').innerHTML = html;
  };

  let selection: BackendSelection | null = null;
  try {
    selection = await chooseBackend();
    const skipped = selection.attempts.filter((a) => a.outcome !== 'chosen');
    $('#backend').innerHTML =
      `backend <strong id="backend-name">${escapeHtml(selection.name)}</strong>${skipped.length ? ` (skipped ${skipped.map((a) => `${escapeHtml(a.name)}: ${escapeHtml(a.detail)}`).join('; ')})` : ''}`;
  } catch (error) {
    $('#backend').innerHTML = errorBlock(error);
    $<HTMLButtonElement>('#start').disabled = true;
  }

  const takeFiles = async (files: FileList | File[]) => {
    dropped = await Promise.all(
      [...files].map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })),
    );
    loaded.delete('files');
    $<HTMLSelectElement>('#dataset').value = 'files';
    status(`${dropped.length} file(s) ready: ${dropped.map((f) => escapeHtml(f.name)).join(', ')}`);
  };
  $<HTMLInputElement>('#idx-files').addEventListener(
    'change',
    (e) => void takeFiles((e.target as HTMLInputElement).files ?? []),
  );
  dropZone($('#drop'), (transfer) => void takeFiles(transfer.files));

  const loadData = async (
    name: string,
  ): Promise<{ data: ArrayDataset; title: string; classes: readonly string[] }> => {
    const known = KNOWN_DATASETS[name];
    const servedOne = served.find((d) => d.name === name);
    const title = servedOne?.title ?? known?.title ?? 'dropped IDX files';
    const classes =
      servedOne?.classes ?? known?.classes ?? Array.from({ length: 10 }, (_, i) => String(i));
    const cached = loaded.get(name);
    if (cached) return { data: cached, title, classes };
    let files: IdxFile[];
    if (name === 'files') {
      if (dropped.length === 0)
        throw new Error(
          'no files dropped: drop the images and labels files of MNIST or Fashion-MNIST first',
        );
      files = dropped;
    } else {
      if (!servedOne || !source) throw new Error(`dataset "${name}" is not offered by the server`);
      files = await fetchServedDataset(source, servedOne, (got, total) =>
        status(`downloading ${escapeHtml(title)}: ${formatBytes(got)} of ${formatBytes(total)}`),
      );
    }
    status('parsing and checking the IDX files...');
    const data = await datasetFromIdx(files, classes.length);
    loaded.set(name, data);
    return { data, title, classes };
  };

  const showResult = (run: MemoryRun) => {
    const r = run.record;
    const canUpload = !!source?.upload;
    // A run stopped before its first epoch ended has only its periodic evaluations.
    const evaluation = run.metrics.filter((m) => m.kind === 'evaluation').at(-1);
    const latest = r.final
      ? { label: 'final', metrics: r.final }
      : {
          label: `after ${formatNumber(evaluation?.samples ?? 0)} samples:`,
          metrics: evaluation?.metrics ?? {},
        };
    $('#train-result').innerHTML = `
      <h3>Run ${escapeHtml(r.id)} ${escapeHtml(r.status)}</h3>
      <p>${latest.label} validation accuracy <strong id="final-val-accuracy" data-value="${latest.metrics.valAccuracy ?? ''}">${formatNumber(latest.metrics.valAccuracy)}</strong>, validation loss ${formatNumber(latest.metrics.valLoss)} after ${formatNumber(r.progress.step)} updates${r.stopDetail ? ` (${escapeHtml(r.stopDetail)})` : ''}</p>
      <p>${canUpload ? '<button id="save">Save to the runs directory</button> ' : ''}<button id="download">Download run files</button> <span id="saved"></span></p>`;
    if (canUpload)
      $('#save').addEventListener('click', async () => {
        const button = $<HTMLButtonElement>('#save');
        button.disabled = true;
        try {
          const { id } = await source!.upload!(runUpload(run));
          $('#saved').innerHTML =
            `saved: <a id="saved-link" href="${routeHash({ page: 'run', id })}">${escapeHtml(id)}</a>`;
        } catch (error) {
          button.disabled = false;
          $('#saved').innerHTML = errorBlock(error);
        }
      });
    $('#download').addEventListener('click', () => {
      for (const file of runFiles(run)) {
        const a = document.createElement('a');
        a.href = URL.createObjectURL(file.blob);
        a.download = `${r.id}-${file.name}`;
        a.click();
        setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
      }
    });
  };

  $('#train-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!selection || controller) return;
    controller = new AbortController();
    $<HTMLButtonElement>('#start').disabled = true;
    $<HTMLButtonElement>('#stop').disabled = false;
    $('#train-result').innerHTML = '';
    try {
      const dataset = value('dataset');
      const { data, title, classes } = await loadData(dataset);
      const settings: TrainSettings = {
        dataset,
        title,
        classes,
        model: value('model'),
        optimizer: value('optimizer') as TrainSettings['optimizer'],
        lr: Number(value('lr')),
        batchSize: Number(value('batch')),
        epochs: Number(value('epochs')),
        trainLimit: Number(value('train-limit')),
        validationLimit: Number(value('val-limit')),
        evaluateEvery: Number(value('every')),
        seed: Number(value('seed')),
      };
      status(
        `training ${escapeHtml(settings.model)} on ${formatNumber(Math.min(settings.trainLimit, Math.floor(data.size * 0.8)))} examples of ${escapeHtml(title)}...`,
      );
      const progress = $<HTMLProgressElement>('#progress');
      const started = performance.now();
      const run = await trainInBrowser(data, settings, selection, {
        signal: controller.signal,
        onBatch(logs) {
          const total = logs.batchesPerEpoch * settings.epochs;
          progress.value = logs.step / total;
          if (logs.fresh) {
            const rate = logs.samples / ((performance.now() - started) / 1000);
            status(
              `epoch ${logs.epoch}/${settings.epochs}, batch ${logs.batch}/${logs.batchesPerEpoch} · loss <span id="running-loss">${formatNumber(logs.metrics.loss)}</span> · accuracy ${formatNumber(logs.metrics.accuracy)} · ${formatNumber(Math.round(rate))} samples/s`,
            );
          }
        },
        onRun(recording) {
          // Redraw the curves against samples as evaluations are recorded (at most 4 times a second).
          const live = $('#live');
          const draw = throttle(() => {
            const metrics = recording.metrics;
            const evaluations = metrics.filter((m) => m.kind === 'evaluation');
            if (evaluations.length === 0) return;
            live.dataset.evaluations = String(evaluations.length);
            const last = evaluations.at(-1)!;
            void drawChart(live, () =>
              learningCurveSpec(metrics, {
                x: 'samples',
                title: `validation accuracy ${formatNumber(last.metrics.valAccuracy)} after ${formatNumber(last.samples)} samples`,
              }),
            );
          }, 250);
          unwatch = recording.onChange(draw);
        },
      });
      unwatch?.();
      showResult(run);
      status(
        `done: ${escapeHtml(run.record.status)} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
    } catch (error) {
      status(errorBlock(error));
    } finally {
      controller = null;
      $<HTMLButtonElement>('#start').disabled = false;
      $<HTMLButtonElement>('#stop').disabled = true;
    }
  });
  $('#stop').addEventListener('click', () => controller?.abort());

  return () => {
    controller?.abort();
    unwatch?.();
  };
};
