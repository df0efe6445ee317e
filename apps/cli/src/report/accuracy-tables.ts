// The coursework's accuracy tables of a sweep report, and what reports say about a run
// that evaluated the test split during training.
import { accuracyTable, type RunForReport, type Table } from '@tunelab/reports';
import type { TrialState } from '../sweep/state.js';

/** Said in the subtitle of every report of a run or sweep trained with evaluation.heldOut 'test'. */
export const TEST_SEEN = 'TEST split evaluated during training';
/** The note of such a report: which numbers are on test, and why they are biased. */
export const TEST_SEEN_NOTE =
  "The held-out curves and numbers are on the TEST split, looked at during training (evaluation.heldOut 'test', a literal reproduction of the coursework): they are not an unbiased estimate of accuracy on new data.";

/**
 * The coursework's table: the first axis as rows (models), the second as columns (settings),
 * each cell the trial's final held-out accuracy with its own values; then, once a trial was
 * evaluated on test (after selection), the same table of test accuracies.
 */
export function accuracyTables(
  trials: ReadonlyArray<{ trial: TrialState; run: RunForReport }>,
  rowAxis: string,
  columnAxis: string,
  onTest: boolean,
): Array<{ name: string; title: string; table: Table }> {
  const list = trials.map((t) => t.run);
  const trialOf = new Map(trials.map((t) => [t.run, t.trial]));
  const options = {
    row: (r: RunForReport) => trialOf.get(r)?.axes[rowAxis] ?? r.record.id,
    column: (r: RunForReport) => trialOf.get(r)?.axes[columnAxis] ?? '',
    note: (r: RunForReport) => trialOf.get(r)?.title,
    rowTitle: rowAxis,
  };
  const tables = [
    {
      name: 'accuracy-table',
      title: onTest
        ? `Final TEST accuracy (${TEST_SEEN}), ${rowAxis} by ${columnAxis}`
        : `Final validation accuracy, ${rowAxis} by ${columnAxis}`,
      table: accuracyTable(list, options),
    },
  ];
  if (!onTest && list.some((r) => r.record.testEvaluations.length > 0))
    tables.push({
      name: 'test-accuracy-table',
      title: `Test accuracy after selection (tunelab eval --split test), ${rowAxis} by ${columnAxis}`,
      table: accuracyTable(list, { ...options, value: 'test' }),
    });
  return tables;
}
