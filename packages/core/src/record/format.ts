import { z } from 'zod';

/** Version tag written into every run.json. */
export const RUN_FORMAT = 'tunelab.run/1';

/** File names inside a run directory. */
export const RUN_FILES = {
  record: 'run.json',
  metrics: 'metrics.jsonl',
  artifacts: 'artifacts',
} as const;

export const runStatusSchema = z.enum(['running', 'completed', 'stopped', 'interrupted', 'failed']);
/** running: being written; completed: all epochs; stopped: a stopping criterion ended it;
 * interrupted: Ctrl-C or a kill, resumable; failed: an error (see `error`). */
export type RunStatus = z.infer<typeof runStatusSchema>;

const backendAttemptSchema = z.object({
  name: z.string(),
  packageName: z.string(),
  outcome: z.string(),
  detail: z.string(),
});

export const environmentSchema = z.object({
  backend: z.string(),
  backendAttempts: z.array(backendAttemptSchema),
  versions: z.record(z.string(), z.string()),
  platform: z.string(),
  arch: z.string(),
  cpus: z.number().int().nonnegative(),
  hostname: z.string().optional(),
});
export type RunEnvironment = z.infer<typeof environmentSchema>;

export const artifactSchema = z.object({
  /** Path relative to the run directory, e.g. "artifacts/learning-curve.png". */
  path: z.string(),
  kind: z.string(),
  description: z.string().optional(),
});
export type RunArtifact = z.infer<typeof artifactSchema>;

const metricValues = z.record(z.string(), z.number().or(z.null()));

export const runRecordSchema = z.object({
  format: z.literal(RUN_FORMAT),
  id: z.string().min(1),
  name: z.string(),
  status: runStatusSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
  endedAt: z.string().optional(),
  /** The experiment as run (after command-line overrides). */
  config: z.record(z.string(), z.unknown()),
  seed: z.number().int(),
  environment: environmentSchema,
  /** Where the data came from and how it was split. */
  data: z.record(z.string(), z.unknown()).optional(),
  /** Progress: epochs done of planned, updates applied. */
  progress: z.object({ epoch: z.number().int(), epochs: z.number().int(), step: z.number().int() }),
  /** Metrics of the last epoch: trainLoss, trainAccuracy, valLoss, valAccuracy, ... */
  final: metricValues.optional(),
  /** The best epoch by `best.metric` (valAccuracy by default). */
  best: z.object({ metric: z.string(), value: z.number(), epoch: z.number().int() }).optional(),
  /** Set the first time the test split is evaluated; tuning tools refuse such runs' test numbers. */
  testEvaluations: z.array(z.object({ at: z.string(), metrics: metricValues })).default([]),
  stopDetail: z.string().optional(),
  artifacts: z.array(artifactSchema).default([]),
  error: z.object({ message: z.string(), stack: z.string().optional() }).optional(),
});
export type RunRecord = z.infer<typeof runRecordSchema>;

export const epochEntrySchema = z.object({
  kind: z.literal('epoch'),
  epoch: z.number().int(),
  step: z.number().int(),
  samples: z.number().int(),
  seconds: z.number(),
  lr: z.number(),
  time: z.string(),
  metrics: metricValues,
});

export const evaluationEntrySchema = z.object({
  kind: z.literal('evaluation'),
  split: z.string(),
  epoch: z.number(),
  step: z.number().int(),
  samples: z.number().int(),
  time: z.string(),
  metrics: metricValues,
});

export const metricEntrySchema = z.discriminatedUnion('kind', [
  epochEntrySchema,
  evaluationEntrySchema,
]);
/** One line of metrics.jsonl. */
export type MetricEntry = z.infer<typeof metricEntrySchema>;
export type EpochEntry = z.infer<typeof epochEntrySchema>;
export type EvaluationEntry = z.infer<typeof evaluationEntrySchema>;

/**
 * Parses metrics.jsonl text. A last line without its newline is a write in progress and is
 * ignored; any other malformed line is an error naming its line number.
 */
export function parseMetricLines(text: string, source: string = RUN_FILES.metrics): MetricEntry[] {
  // The last piece is '' after a final newline, or a partial line still being written.
  const complete = text.split('\n').slice(0, -1);
  const entries: MetricEntry[] = [];
  complete.forEach((line, i) => {
    if (line.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new Error(`${source}:${i + 1}: not valid JSON: ${line.slice(0, 80)}`);
    }
    const parsed = metricEntrySchema.safeParse(json);
    if (!parsed.success) throw new Error(`${source}:${i + 1}: ${describeIssues(parsed.error)}`);
    entries.push(parsed.data);
  });
  return entries;
}

/** Validates a parsed run.json, naming the file and field on error. */
export function parseRunRecord(json: unknown, source: string = RUN_FILES.record): RunRecord {
  const parsed = runRecordSchema.safeParse(json);
  if (!parsed.success) throw new Error(`${source}: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

/** "field.path: message; ..." for a zod error. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}

/** A sortable, readable run id: 20261123-141502-quickstart-3fa2. */
export function makeRunId(name: string, date: Date, suffix: string): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}-${pad(date.getHours())}${pad(date.getMinutes())}${pad(date.getSeconds())}`;
  const slug =
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'run';
  return `${stamp}-${slug}-${suffix}`;
}
