import { dropZone, errorBlock, escapeHtml } from '../dom.js';
import { fromDrop, fromFileList } from '../source/files.js';
import { type LocalFile, LocalSource } from '../source/local.js';
import type { Page } from './page.js';

/**
 * Open runs from disk without a server: a runs folder, a sweep folder or one run directory
 * (its run.json and metrics.jsonl), or a self-contained HTML report written by `tunelab report`.
 */
export const openPage: Page = (ctx) => {
  ctx.root.innerHTML = `
    <h2>Open runs or a report</h2>
    <p>Pick a runs folder, a sweep folder or one run directory written by <code>tunelab train</code> or <code>tunelab sweep</code>.
    Nothing is uploaded: the files are read in this page.</p>
    <div id="drop" class="drop">Drop folders or files here, or choose a folder <input id="folder" type="file" webkitdirectory multiple />
      or files <input id="files" type="file" multiple accept=".json,.jsonl,.html" /></div>
    <div id="open-status"></div>
    <div id="report"></div>`;
  const $ = <T extends HTMLElement>(s: string) => ctx.root.querySelector<T>(s)!;

  const open = async (files: LocalFile[]) => {
    const report = files.find((f) => /\.html?$/i.test(f.path));
    if (report && !files.some((f) => f.path.endsWith('run.json'))) {
      // A report is self-contained (charts inline): show it as it is, scripts off.
      const frame = document.createElement('iframe');
      frame.className = 'report';
      frame.setAttribute('sandbox', '');
      frame.title = report.path;
      frame.srcdoc = await report.text();
      $('#report').replaceChildren(frame);
      $('#open-status').innerHTML = `<p>report <code>${escapeHtml(report.path)}</code></p>`;
      return;
    }
    try {
      const source = await LocalSource.open(files);
      ctx.useSource(source);
    } catch (error) {
      $('#open-status').innerHTML = errorBlock(error);
    }
  };
  for (const id of ['#folder', '#files'])
    $<HTMLInputElement>(id).addEventListener(
      'change',
      (e) => void open(fromFileList((e.target as HTMLInputElement).files ?? [])),
    );
  dropZone($('#drop'), (transfer) => void fromDrop(transfer).then(open));
  return () => {};
};
