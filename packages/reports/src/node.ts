/**
 * @tunelab/reports/node: PNG rasterisation and run-directory reports.
 * @packageDocumentation
 */
export { type PngOptions, svgToPng } from './png.js';
export { learningCurveImages } from './run-report.js';
