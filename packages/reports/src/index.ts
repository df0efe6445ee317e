/**
 * @tunelab/reports: charts and tables from run records (browser-safe part).
 * @packageDocumentation
 */
export {
  type CompareCurvesOptions,
  type ComparedRun,
  compareCurvesSpec,
} from './charts/compare-curves.js';
export { confusionMatrixSpec } from './charts/confusion-matrix.js';
export { type EarlyStoppingPlot, earlyStoppingSpec } from './charts/early-stopping.js';
export { type LearningCurveOptions, learningCurveSpec } from './charts/learning-curve.js';
export {
  type ParallelCoordinatesOptions,
  type ParallelPoint,
  type ParallelRow,
  parallelCoordinatesSpec,
  parallelPoints,
} from './charts/parallel-coordinates.js';
export { type CurvePoint, curvePoints, entriesFor, SPLIT_COLOURS } from './charts/points.js';
export { type ScheduleSeries, scheduleSpec } from './charts/schedule.js';
export { type GridTrial, type SweepGridOptions, sweepGridSpec } from './charts/sweep-grid.js';
export { htmlReport, type ReportBlock } from './html/report.js';
export { renderSvg } from './render.js';
export { modelSummaryTable } from './tables/model-summary.js';
export {
  type AccuracyTableOptions,
  accuracyTable,
  type PivotCell,
  type PivotOptions,
  pivotTable,
} from './tables/pivot.js';
export { rankTrials } from './tables/rank.js';
export {
  bestEpoch,
  finalHeldOutAccuracy,
  heldOutSplit,
  type RunForReport,
  type SummaryOptions,
  summaryTable,
  testAccuracy,
} from './tables/summary.js';
export {
  type Column,
  cellText,
  type Table,
  tableSpec,
  toCsv,
  toHtml,
  toMarkdown,
} from './tables/table.js';
