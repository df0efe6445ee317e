// Where examples put their images and tables: examples/output/<example>/ (gitignored).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderSvg } from '@tunelab/reports';
import { svgToPng } from '@tunelab/reports/node';

/** The output folder of one example, created if needed. */
export function outputDir(example: string): string {
  const dir = join(import.meta.dirname, '..', 'output', example);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Renders a Vega-Lite spec to `<dir>/<name>.svg` and `<dir>/<name>.png` and returns both
 * paths. Takes any spec object: the reports package's own builders, or a plain JSON spec such
 * as @tunelab/classic's biasVarianceSpec.
 */
export async function writeChart(
  dir: string,
  name: string,
  spec: object,
): Promise<{ svg: string; png: string }> {
  const svgText = await renderSvg(spec as Parameters<typeof renderSvg>[0]);
  const svg = join(dir, `${name}.svg`);
  const png = join(dir, `${name}.png`);
  writeFileSync(svg, svgText);
  writeFileSync(png, svgToPng(svgText, { scale: 2 }));
  return { svg, png };
}
