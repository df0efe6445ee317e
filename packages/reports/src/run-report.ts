import type { RunOnDisk } from '@tunelab/core/node';
import { learningCurveSpec } from './charts/learning-curve.js';
import { svgToPng } from './png.js';
import { renderSvg } from './render.js';

/**
 * The learning curve of a run as SVG text and PNG bytes.
 * `const { svg, png } = await learningCurveImages(readRun('runs/quickstart-1'));`
 */
export async function learningCurveImages(run: Pick<RunOnDisk, 'record' | 'metrics'>): Promise<{
  /** The chart as SVG text. */
  svg: string;
  /** The chart as PNG bytes (resvg, 2x). */
  png: Uint8Array;
}> {
  const epochs = run.metrics.filter((m) => m.kind === 'epoch');
  const svg = await renderSvg(
    learningCurveSpec(epochs, { title: `${run.record.name} (${run.record.id})` }),
  );
  return { svg, png: svgToPng(svg) };
}
