import { ARTIFACT_FILES, artifactSchemas } from './artifacts.js';
import {
  describeIssues,
  type MetricEntry,
  parseMetricLines,
  parseRunRecord,
  RUN_FILES,
  type RunRecord,
} from './format.js';

/** The files of one run directory, in memory: run.json and metrics.jsonl as text, artifacts by name. */
export interface RunFiles {
  /** The text of run.json. */
  readonly record: string;
  /** The text of metrics.jsonl. */
  readonly metrics: string;
  /** Every file under artifacts/, by file name. */
  readonly artifacts: ReadonlyMap<string, string | Uint8Array>;
}

/** What {@link checkRunFiles} found. */
export interface RunFilesCheck {
  /** run.json, validated (null when it did not validate). */
  readonly record: RunRecord | null;
  /** The metrics lines, validated (empty when they did not). */
  readonly metrics: MetricEntry[];
  /** Every way the files break the record contract, one line each; empty for a valid run. */
  readonly problems: string[];
}

/**
 * Checks a run directory against the record contract, whoever wrote it (`tunelab train`, a
 * sweep trial, the browser): run.json and every metrics line validate; every artifact run.json
 * lists exists and every file under artifacts/ is listed; the JSON artifacts
 * (model-summary.json, confusion matrices) validate; and a run that says it ended (completed,
 * stopped, interrupted) holds its final weights, because a run is marked ended only after
 * its artifacts are written.
 * `checkRunFiles({ record, metrics, artifacts }).problems` is [] for a complete run.
 */
export function checkRunFiles(files: RunFiles): RunFilesCheck {
  const problems: string[] = [];
  let record: RunRecord | null = null;
  let metrics: MetricEntry[] = [];
  try {
    record = parseRunRecord(JSON.parse(files.record), RUN_FILES.record);
  } catch (error) {
    problems.push((error as Error).message);
  }
  try {
    metrics = parseMetricLines(files.metrics, RUN_FILES.metrics);
  } catch (error) {
    problems.push((error as Error).message);
  }
  const listed = new Set(
    (record?.artifacts ?? []).map((a) => a.path.slice(RUN_FILES.artifacts.length + 1)),
  );
  for (const name of listed)
    if (!files.artifacts.has(name))
      problems.push(`${RUN_FILES.record}: lists ${RUN_FILES.artifacts}/${name}, which is missing`);
  for (const [name, data] of files.artifacts) {
    const where = `${RUN_FILES.artifacts}/${name}`;
    if (record && !listed.has(name)) problems.push(`${where}: not listed in ${RUN_FILES.record}`);
    const schema = artifactSchemas[name];
    if (!schema) continue;
    const text = typeof data === 'string' ? data : new TextDecoder().decode(data);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      problems.push(`${where}: not valid JSON`);
      continue;
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) problems.push(`${where}: ${describeIssues(parsed.error)}`);
  }
  if (record && record.status !== 'running' && record.status !== 'failed') {
    if (!files.artifacts.has(ARTIFACT_FILES.model))
      problems.push(
        `${RUN_FILES.record}: status ${record.status} but ${RUN_FILES.artifacts}/${ARTIFACT_FILES.model} is missing`,
      );
  }
  return { record, metrics, problems };
}
