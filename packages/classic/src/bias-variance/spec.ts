import type { BiasVarianceCurves, BiasVariancePoint } from './simulate.js';

/**
 * A Vega-Lite (v6) specification as plain JSON: render it with `renderSvg` from
 * @tunelab/reports (`renderSvg(spec as Parameters<typeof renderSvg>[0])`) or any Vega-Lite
 * runtime.
 */
export interface VegaLiteSpec {
  /** The Vega-Lite schema URL (v6). */
  readonly $schema: string;
  readonly [key: string]: unknown;
}

/** How one of the five curves of {@link biasVarianceSpec} is drawn. */
export interface BiasVarianceCurveStyle {
  /** The field of {@link BiasVariancePoint} the curve plots. */
  readonly key: 'bias2' | 'variance' | 'irreducible' | 'trainError' | 'testError';
  /** Its name in the legend. */
  readonly label: string;
  /** Its line colour (CSS hex). */
  readonly colour: string;
}

/**
 * The five curves of {@link biasVarianceSpec}, in legend order, with their colours:
 * squared bias, variance, irreducible error, training error, test error.
 * `BIAS_VARIANCE_CURVES.map((c) => c.label)` is the legend; `point[c.key]` the value plotted.
 */
export const BIAS_VARIANCE_CURVES: readonly BiasVarianceCurveStyle[] = [
  { key: 'bias2', label: 'squared bias', colour: '#4c78a8' },
  { key: 'variance', label: 'variance', colour: '#f58518' },
  { key: 'irreducible', label: 'irreducible error', colour: '#9d9d9d' },
  { key: 'trainError', label: 'training error', colour: '#54a24b' },
  { key: 'testError', label: 'test error', colour: '#e45756' },
];

/** Options of {@link biasVarianceSpec}. */
export interface BiasVarianceSpecOptions {
  /** Chart title. Default: none. */
  title?: string;
  /** Name of the complexity axis. Default 'model complexity'. */
  complexityName?: string;
  /** Logarithmic error axis (bias^2 spans orders of magnitude). Default false. */
  logScale?: boolean;
}

/**
 * Line chart of the five curves of {@link biasVarianceCurves} against model complexity:
 * squared bias (falls), variance (rises), irreducible error (flat at sigma^2), training
 * error (falls below sigma^2) and test error (U-shaped, = bias^2 + variance + sigma^2).
 * ```ts
 * const svg = await renderSvg(biasVarianceSpec(curves, { complexityName: 'degree' }) as never);
 * ```
 */
export function biasVarianceSpec(
  curves: BiasVarianceCurves,
  options: BiasVarianceSpecOptions = {},
): VegaLiteSpec {
  if (curves.points.length === 0) throw new Error('biasVarianceSpec: the curves have no points');
  const values = curves.points.flatMap((p) =>
    BIAS_VARIANCE_CURVES.map((c) => ({
      complexity: p.complexity,
      error: p[c.key],
      curve: c.label,
    })),
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(options.title ? { title: options.title } : {}),
    width: 480,
    height: 300,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: {
        field: 'complexity',
        type: 'quantitative',
        title: options.complexityName ?? 'model complexity',
        axis: { tickMinStep: 1 },
      },
      y: {
        field: 'error',
        type: 'quantitative',
        title: 'mean squared error',
        scale: options.logScale ? { type: 'log' } : { zero: true },
      },
      color: {
        field: 'curve',
        type: 'nominal',
        title: null,
        legend: { orient: 'bottom' },
        scale: {
          domain: BIAS_VARIANCE_CURVES.map((c) => c.label),
          range: BIAS_VARIANCE_CURVES.map((c) => c.colour),
        },
      },
    },
  };
}
