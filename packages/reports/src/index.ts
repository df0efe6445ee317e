/**
 * @tunelab/reports: charts and tables from run records (browser-safe part).
 * @packageDocumentation
 */
export {
  type CurvePoint,
  curvePoints,
  type LearningCurveOptions,
  learningCurveSpec,
} from './charts/learning-curve.js';
export { renderSvg } from './render.js';
