import { renderSvg } from '@tunelab/reports';
import { errorBlock } from './dom.js';

type Spec = Parameters<typeof renderSvg>[0];

const drawing = new WeakMap<Element, number>();

/**
 * Draws a Vega-Lite spec into `el` as inline SVG (the same renderer the CLI's reports use).
 * When draws overlap (live updates), only the latest one lands. A spec that cannot be built
 * shows its error in place of the chart.
 */
export async function drawChart(el: HTMLElement, build: () => Spec): Promise<void> {
  const ticket = (drawing.get(el) ?? 0) + 1;
  drawing.set(el, ticket);
  let html: string;
  try {
    html = await renderSvg(build());
  } catch (error) {
    html = errorBlock(error);
  }
  if (drawing.get(el) !== ticket) return;
  el.innerHTML = html;
  el.dataset.drawn = String(ticket);
}
