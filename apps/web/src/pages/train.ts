import type { BackendSelection, BatchLogs } from '@tunelab/core';
import { MemoryRun, type ServedDataset } from '@tunelab/core/record';
import { KNOWN_DATASETS } from '@tunelab/datasets';
import {
  type Experiment,
  type ExperimentData,
  type ExperimentInput,
  experimentSchema,
  formatIssues,
  jsonExperimentSchema,
  runExperiment,
} from '@tunelab/experiment';
import { zoo, zooNames } from '@tunelab/layers';
import { learningCurveSpec } from '@tunelab/reports';
import { browserEnvironment, chooseBackend } from '../browser/backend.js';
import { experimentDataFromIdx, fetchServedDataset, type IdxFile } from '../browser/data.js';
import { runFiles, runUpload } from '../browser/save.js';
import { drawChart } from '../charts.js';
import { dropZone, errorBlock, escapeHtml, formatBytes, formatNumber, throttle } from '../dom.js';
import { routeHash } from '../router.js';
import type { Page } from './page.js';

/** Zoo models that take 28x28x1 inputs (MNIST, Fashion-MNIST), small enough for a browser. */
const MODELS = zooNames.filter((n) => zoo[n].inputShape.join() === '28,28,1');

/** Datasets already downloaded and parsed on this page, by name. */
const loaded = new Map<string, ExperimentData>();

const field = (id: string, label: string, input: string, hint = '') =>
  `<label for="${id}">${label}</label>${input}<span class="muted small">${hint}</span>`;

/** Gives the page a chance to draw: the training loop would otherwise hold the main thread. */
const nextFrame = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Train in the browser, through the same pipeline as `tunelab train` (@tunelab/experiment's
 * runExperiment): an experiment from the form (a zoo model), or an experiment file pasted or
 * opened (JSON, with its own layer list); watch the curves; save the run directory.
 */
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
    <details id="experiment-file"><summary>Or train an experiment file (JSON, e.g. your own layer list)</summary>
      <p class="muted small">The same file <code>tunelab train</code> takes; its dataset must be one the server offers, or <code>"files"</code> for IDX files dropped below.</p>
      <textarea id="experiment-json" rows="14" spellcheck="false" placeholder='{ "name": "my-cnn", "data": { "dataset": "fashion-mnist" }, "model": { "layers": [ ... ] }, ... }'></textarea>
      <div class="buttons"><input id="experiment-upload" type="file" accept=".json,application/json" /> <button id="start-json" type="button">Train this experiment</button></div>
    </details>
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
  const buttons = (running: boolean) => {
    $<HTMLButtonElement>('#start').disabled = running;
    $<HTMLButtonElement>('#start-json').disabled = running;
    $<HTMLButtonElement>('#stop').disabled = !running;
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
    $<HTMLButtonElement>('#start-json').disabled = true;
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
  $<HTMLInputElement>('#experiment-upload').addEventListener('change', async (e) => {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (file) $<HTMLTextAreaElement>('#experiment-json').value = await file.text();
  });

  /** The dataset an experiment names: one the server offers, or the files dropped here. */
  const loadData = async (name: string): Promise<ExperimentData> => {
    const cached = loaded.get(name);
    if (cached) return cached;
    const known = Object.hasOwn(KNOWN_DATASETS, name) ? KNOWN_DATASETS[name] : undefined;
    const servedOne = served.find((d) => d.name === name);
    let files: IdxFile[];
    let origin: Omit<Parameters<typeof experimentDataFromIdx>[1], 'classes' | 'title'>;
    if (name === 'files') {
      if (dropped.length === 0)
        throw new Error(
          'no files dropped: drop the images and labels files of MNIST or Fashion-MNIST first',
        );
      files = dropped;
      origin = { name, source: 'files', location: dropped.map((f) => f.name).join(', ') };
    } else {
      if (!servedOne || !source)
        throw new Error(
          `dataset "${name}" is not offered by the server (it offers ${served.map((d) => d.name).join(', ') || 'none'}); drop its files and use "files"`,
        );
      files = await fetchServedDataset(source, servedOne, (got, total) =>
        status(
          `downloading ${escapeHtml(servedOne.title)}: ${formatBytes(got)} of ${formatBytes(total)}`,
        ),
      );
      origin = { name, source: 'server', location: `${location.origin}/api/datasets/${name}` };
    }
    status('parsing and checking the IDX files...');
    const data = await experimentDataFromIdx(files, {
      ...origin,
      title: servedOne?.title ?? known?.title ?? 'dropped IDX files',
      classes:
        servedOne?.classes ?? known?.classes ?? Array.from({ length: 10 }, (_, i) => String(i)),
    });
    loaded.set(name, data);
    return data;
  };

  /** The form's settings as an experiment: a zoo model, the limits the browser needs. */
  const formExperiment = (): ExperimentInput => {
    const model = value('model');
    const optimizer = value('optimizer');
    const lr = Number(value('lr'));
    return {
      name: `browser-${model}`,
      seed: Number(value('seed')),
      data: { dataset: value('dataset') },
      model: { name: model as 'cnn4' },
      optimizer:
        optimizer === 'momentum'
          ? { name: 'momentum', lr, momentum: 0.9 }
          : optimizer === 'sgd'
            ? { name: 'sgd', lr }
            : { name: 'adam', lr },
      epochs: Number(value('epochs')),
      batchSize: Number(value('batch')),
      trainLimit: Number(value('train-limit')),
      validationLimit: Number(value('val-limit')),
      evaluation: { everySamples: Number(value('every')), trainFraction: 0.2 },
    };
  };

  /** The pasted or opened experiment file, validated as `tunelab train` validates it. */
  const fileExperiment = (): Experiment => {
    let json: unknown;
    try {
      json = JSON.parse($<HTMLTextAreaElement>('#experiment-json').value);
    } catch (error) {
      throw new Error(`the experiment is not valid JSON (${(error as Error).message})`);
    }
    const parsed = jsonExperimentSchema.safeParse(json);
    if (!parsed.success) throw new Error(formatIssues('experiment', parsed.error));
    return parsed.data;
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

  /** Draws the curves against samples as evaluations are recorded (at most 4 times a second). */
  const watch = (recording: MemoryRun) => {
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
  };

  const train = async (read: () => Experiment) => {
    if (!selection || controller) return;
    controller = new AbortController();
    buttons(true);
    $('#train-result').innerHTML = '';
    $('#live').innerHTML = '';
    delete $('#live').dataset.evaluations;
    try {
      const experiment = read();
      const data = await loadData(experiment.data.dataset);
      status(`training ${escapeHtml(experiment.name)} on ${escapeHtml(data.title)}...`);
      const progress = $<HTMLProgressElement>('#progress');
      const started = performance.now();
      let run: MemoryRun | undefined;
      const onBatch = (logs: BatchLogs) => {
        progress.value = logs.step / (logs.batchesPerEpoch * experiment.epochs);
        if (!logs.fresh) return;
        const rate = logs.samples / ((performance.now() - started) / 1000);
        status(
          `epoch ${logs.epoch}/${experiment.epochs}, batch ${logs.batch}/${logs.batchesPerEpoch} · loss <span id="running-loss">${formatNumber(logs.metrics.loss)}</span> · accuracy ${formatNumber(logs.metrics.accuracy)} · ${formatNumber(Math.round(rate))} samples/s`,
        );
      };
      const result = await runExperiment(experiment, {
        data,
        createRun(record) {
          run = new MemoryRun(record);
          watch(run);
          return run;
        },
        environment: browserEnvironment(selection),
        callbacks: [
          {
            async onBatchEnd(logs) {
              onBatch(logs);
              if (logs.fresh) await nextFrame();
            },
            onEvaluation: nextFrame,
          },
        ],
        logEvery: 10,
        signal: controller.signal,
      });
      unwatch?.();
      showResult(run!);
      status(
        `done: ${escapeHtml(result.status)} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
    } catch (error) {
      status(errorBlock(error));
    } finally {
      controller = null;
      buttons(false);
    }
  };

  $('#train-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void train(() => experimentSchema.parse(formExperiment()));
  });
  $('#start-json').addEventListener('click', () => void train(fileExperiment));
  $('#stop').addEventListener('click', () => controller?.abort());

  return () => {
    controller?.abort();
    unwatch?.();
  };
};
