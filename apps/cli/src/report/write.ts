import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { renderSvg, toCsv, toMarkdown } from '@tunelab/reports';
import { svgToPng } from '@tunelab/reports/node';
import { type ReportContent, reportHtml, tableImages } from './build.js';

/** Output formats of tunelab report. */
export const REPORT_FORMATS = ['html', 'md', 'png', 'svg', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/**
 * Writes a report: html is one self-contained file; md is a Markdown file with its PNG images
 * beside it; png and svg are one image per chart and table in a folder; csv is the summary
 * table(s) in `out` and every other table beside it as <name>.csv (a sweep's
 * accuracy-table.csv). Returns the files written.
 */
export async function writeReport(
  contents: readonly ReportContent[],
  format: ReportFormat,
  out: string,
): Promise<string[]> {
  const written: string[] = [];
  const write = (path: string, data: string | Uint8Array) => {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, data);
    written.push(path);
  };
  if (format === 'html') {
    write(out, await reportHtml(contents));
    return written;
  }
  if (format === 'csv') {
    write(
      out,
      contents
        .flatMap((c) => c.tables.filter((t) => t.name === 'summary').map((t) => toCsv(t.table)))
        .join(''),
    );
    // The other tables (a sweep's accuracy table, a run's model summary) as files beside it.
    for (const [i, c] of contents.entries())
      for (const t of c.tables.filter((t) => t.name !== 'summary'))
        write(
          join(dirname(out), `${contents.length > 1 ? `${i + 1}-` : ''}${t.name}.csv`),
          toCsv(t.table),
        );
    return written;
  }
  if (format === 'md') {
    const folder = dirname(out);
    const stem = basename(out, extname(out));
    const lines: string[] = [];
    for (const [i, c] of contents.entries()) {
      lines.push(`# ${c.title}`, '', c.subtitle, '');
      for (const image of c.images) {
        const file = `${stem}-${contents.length > 1 ? `${i + 1}-` : ''}${image.name}.png`;
        write(join(folder, file), svgToPng(await renderSvg(image.spec)));
        lines.push(`## ${image.title}`, '', `![${image.title}](${file})`, '');
      }
      for (const t of c.tables) lines.push(`## ${t.title}`, '', toMarkdown(t.table));
      for (const note of c.notes) lines.push(note, '');
    }
    write(out, `${lines.join('\n')}\n`);
    return written;
  }
  for (const [i, c] of contents.entries()) {
    for (const image of [...c.images, ...tableImages(c)]) {
      const svg = await renderSvg(image.spec);
      const name = `${contents.length > 1 ? `${i + 1}-` : ''}${image.name}.${format}`;
      write(join(out, name), format === 'svg' ? svg : svgToPng(svg));
    }
  }
  return written;
}
