/** One block of an HTML report. */
export type ReportBlock =
  | {
      /** A section heading. */
      readonly kind: 'heading';
      /** Its text (escaped). */
      readonly text: string;
    }
  | {
      /** A paragraph. */
      readonly kind: 'text';
      /** Its text (escaped). */
      readonly text: string;
    }
  | {
      /** An inline SVG figure. */
      readonly kind: 'figure';
      /** The SVG text, e.g. from renderSvg. */
      readonly svg: string;
      /** Caption under the figure (escaped). */
      readonly caption?: string;
    }
  | {
      /** Trusted HTML inserted as is. */
      readonly kind: 'html';
      /** The HTML, e.g. a table from toHtml. */
      readonly html: string;
    };

const STYLE = `
body { font-family: "DejaVu Sans", system-ui, sans-serif; color: #222; margin: 2rem auto; max-width: 1200px; padding: 0 1rem; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #ddd; }
figure { margin: 1rem 0; overflow-x: auto; } figcaption { color: #555; font-size: 0.9rem; }
table { border-collapse: collapse; font-size: 0.9rem; margin: 0.5rem 0 1rem; }
th, td { padding: 0.25rem 0.75rem; border-bottom: 1px solid #e3e3e3; text-align: left; }
th { border-bottom: 2px solid #333; } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tbody tr:nth-child(even) { background: #f6f8fa; } .meta { color: #555; }
`;

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (ch) => `&#${ch.charCodeAt(0)};`);

/**
 * A self-contained HTML page: inline CSS and inline SVG figures, no scripts and no links to
 * load, so it opens offline and can be mailed or handed in as one file.
 * ```ts
 * htmlReport('Run quickstart', [
 *   { kind: 'heading', text: 'Learning curves' },
 *   { kind: 'figure', svg: await renderSvg(learningCurveSpec(run.metrics)), caption: 'curves' },
 *   { kind: 'html', html: toHtml(summaryTable([run])) },
 * ]);
 * ```
 */
export function htmlReport(
  title: string,
  blocks: readonly ReportBlock[],
  options: { subtitle?: string } = {},
): string {
  const body = blocks.map(blockHtml);
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${escapeHtml(title)}</h1>`,
    options.subtitle ? `<p class="meta">${escapeHtml(options.subtitle)}</p>` : '',
    ...body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function blockHtml(b: ReportBlock): string {
  switch (b.kind) {
    case 'heading':
      return `<h2>${escapeHtml(b.text)}</h2>`;
    case 'text':
      return `<p>${escapeHtml(b.text)}</p>`;
    case 'figure':
      return `<figure>${stripXmlProlog(b.svg)}${b.caption ? `<figcaption>${escapeHtml(b.caption)}</figcaption>` : ''}</figure>`;
    case 'html':
      return b.html;
  }
}

function stripXmlProlog(svg: string): string {
  return svg.replace(/^<\?xml[^>]*>\s*/, '');
}
