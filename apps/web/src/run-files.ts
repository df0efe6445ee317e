import {
  type MetricEntry,
  parseMetricLines,
  parseRunRecord,
  RUN_FILES,
  type RunRecord,
} from '@tunelab/core/record';

/** A run opened from files the user picked (a run directory, or its two files). */
export interface OpenedRun {
  record: RunRecord;
  metrics: MetricEntry[];
}

/** Minimal file shape (the DOM File, or anything with a name and text()). */
export interface NamedText {
  readonly name: string;
  readonly webkitRelativePath?: string;
  text(): Promise<string>;
}

/**
 * Finds run.json and metrics.jsonl among `files` and validates them with the same schema as
 * the CLI and server. Errors name the file and the field.
 */
export async function openRunFiles(files: readonly NamedText[]): Promise<OpenedRun> {
  const byName = (name: string) => files.find((f) => f.name === name);
  const recordFile = byName(RUN_FILES.record);
  if (!recordFile)
    throw new Error(
      `no ${RUN_FILES.record} among the ${files.length} file(s) opened: pick a run directory`,
    );
  let json: unknown;
  try {
    json = JSON.parse(await recordFile.text());
  } catch (error) {
    throw new Error(`${RUN_FILES.record}: not valid JSON (${(error as Error).message})`);
  }
  const record = parseRunRecord(json);
  const metricsFile = byName(RUN_FILES.metrics);
  const metrics = metricsFile ? parseMetricLines(await metricsFile.text()) : [];
  return { record, metrics };
}
