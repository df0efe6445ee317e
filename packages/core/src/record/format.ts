import { z } from 'zod';

/**
 * Version tag written into every run.json.
 * `readRun(dir).record.format` is 'tunelab.run/1'.
 */
export const RUN_FORMAT = 'tunelab.run/1';

/** File names inside a run directory: `join(dir, RUN_FILES.record)` is the run's run.json. */
export const RUN_FILES = {
  /** The run record (JSON): config, environment, status, progress, best and final metrics. */
  record: 'run.json',
  /** One JSON line per epoch or evaluation ({@link MetricEntry}). */
  metrics: 'metrics.jsonl',
  /** Folder of images, tables, weights and checkpoints. */
  artifacts: 'artifacts',
} as const;

/** Validates a run status: `runStatusSchema.parse('completed')`. */
export const runStatusSchema = z.enum(['running', 'completed', 'stopped', 'interrupted', 'failed']);
/** running: being written; completed: all epochs; stopped: a stopping criterion ended it;
 * interrupted: Ctrl-C or a kill, resumable; failed: an error (see `error`). */
export type RunStatus = z.infer<typeof runStatusSchema>;

const backendAttemptSchema = z.object({
  /** The candidate tried: 'tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu', ... */
  name: z.string(),
  /** The npm package it needs, e.g. '@tensorflow/tfjs-backend-wasm'. */
  packageName: z.string(),
  /** What happened: 'chosen', 'not-installed', 'failed', 'no-gpu' or 'not-requested'. */
  outcome: z.string(),
  /** Why, in words (the error message when it failed). */
  detail: z.string(),
});

/**
 * Validates the `environment` of a run record ({@link RunEnvironment}).
 * `environmentSchema.parse(describeEnvironment(selection))` passes.
 */
export const environmentSchema = z.object({
  /** The tfjs backend the run computed on, e.g. 'wasm'. */
  backend: z.string(),
  /** Every backend candidate tried, in order, and why it was or was not used. */
  backendAttempts: z.array(backendAttemptSchema),
  /** Versions, e.g. { node: 'v20.19.0', 'tfjs-core': '4.22.0' }. */
  versions: z.record(z.string(), z.string()),
  /** process.platform ('linux', 'darwin', ...) or 'browser'. */
  platform: z.string(),
  /** process.arch ('x64', 'arm64', ...). */
  arch: z.string(),
  /** Logical CPU cores. */
  cpus: z.number().int().nonnegative(),
  /** The machine's name, when known. */
  hostname: z.string().optional(),
});
/** Where a run ran: backend (and the candidates tried), versions, platform, CPUs. */
export type RunEnvironment = z.infer<typeof environmentSchema>;

/**
 * Validates one entry of a run record's `artifacts` ({@link RunArtifact}).
 * `artifactSchema.parse({ path: 'artifacts/model.safetensors', kind: 'application/safetensors' })`.
 */
export const artifactSchema = z.object({
  /** Path relative to the run directory, e.g. "artifacts/learning-curve.png". */
  path: z.string(),
  /** Media type, e.g. 'image/png', 'application/safetensors'. */
  kind: z.string(),
  /** What it is, in words. */
  description: z.string().optional(),
});
/**
 * A file a run wrote under artifacts/, e.g.
 * `{ path: 'artifacts/model.safetensors', kind: 'application/safetensors' }`.
 */
export type RunArtifact = z.infer<typeof artifactSchema>;

const metricValues = z.record(z.string(), z.number().or(z.null()));

/**
 * Validates who is writing a record ({@link RecordWriter}): run.json and sweep.json carry it
 * so readers can tell a live `running` record from one whose process is gone.
 * `writerSchema.parse({ pid: 4242, host: 'lab-1', heartbeatAt: '2026-11-23T14:15:02.000Z' })`.
 */
export const writerSchema = z.object({
  /** Process id of the writer. */
  pid: z.number().int(),
  /** Host name of the machine it runs on (os.hostname()). */
  host: z.string(),
  /** When the writer last wrote the record or said it is alive (ISO 8601); refreshed while it runs. */
  heartbeatAt: z.string(),
});
/** The process writing a record, and when it was last heard from. */
export type RecordWriter = z.infer<typeof writerSchema>;

/**
 * Validates a run.json ({@link RunRecord}); {@link parseRunRecord} names the file on error.
 * `runRecordSchema.parse(JSON.parse(readFileSync('run.json', 'utf8')))`.
 */
export const runRecordSchema = z.object({
  /** Always {@link RUN_FORMAT}, 'tunelab.run/1'. */
  format: z.literal(RUN_FORMAT),
  /** The run id, also its folder name: '20261123-141502-quickstart-3fa2'. */
  id: z.string().min(1),
  /** The experiment's name ('quickstart'). */
  name: z.string(),
  /** 'running', 'completed', 'stopped', 'interrupted' or 'failed' ({@link RunStatus}). */
  status: runStatusSchema,
  /** When the run started (ISO 8601). */
  createdAt: z.string(),
  /** When run.json was last written (ISO 8601). */
  updatedAt: z.string(),
  /** When the run ended (ISO 8601); absent while running. */
  endedAt: z.string().optional(),
  /** The experiment as run (after command-line overrides). */
  config: z.record(z.string(), z.unknown()),
  /** The seed every random draw of the run derives from. */
  seed: z.number().int(),
  /** Where it ran ({@link RunEnvironment}). */
  environment: environmentSchema,
  /** Where the data came from and how it was split. */
  data: z.record(z.string(), z.unknown()).optional(),
  /** Progress: epochs done of planned, updates applied. */
  progress: z.object({
    /** Epochs finished. */
    epoch: z.number().int(),
    /** Epochs planned. */
    epochs: z.number().int(),
    /** Updates (batches) applied. */
    step: z.number().int(),
  }),
  /** Metrics of the last epoch: trainLoss, trainAccuracy, valLoss, valAccuracy, ... */
  final: metricValues.optional(),
  /** The best epoch by `best.metric` (valAccuracy by default). */
  best: z
    .object({
      /** The metric compared, e.g. 'valAccuracy'. */
      metric: z.string(),
      /** Its best value. */
      value: z.number(),
      /** The 1-based epoch where it was reached. */
      epoch: z.number().int(),
    })
    .optional(),
  /**
   * The split evaluated as held-out data during training (every epoch and periodic point);
   * absent means 'validation'. 'test' (the experiment's `evaluation.heldOut: 'test'`, a literal
   * reproduction of coursework that does so): the test split was looked at during training, so
   * its numbers are not an unbiased estimate of accuracy on new data.
   */
  heldOut: z.enum(['validation', 'test']).optional(),
  /** Set the first time the test split is evaluated; tuning tools refuse such runs' test numbers. */
  testEvaluations: z
    .array(
      z.object({
        /** When the test split was evaluated (ISO 8601). */
        at: z.string(),
        /** What it gave: testLoss, testAccuracy, ... */
        metrics: metricValues,
      }),
    )
    .default([]),
  /** Why a stopped run stopped, e.g. 'GL_5 stopped training at epoch 7: GL = 6.25 > 5'. */
  stopDetail: z.string().optional(),
  /** Files under artifacts/ ({@link RunArtifact}). */
  artifacts: z.array(artifactSchema).default([]),
  /** The process that writes (or last wrote) the record; see `deriveStatus`. */
  writer: writerSchema.optional(),
  /** The error of a failed run. */
  error: z
    .object({
      /** The error message. */
      message: z.string(),
      /** Its stack trace, when there is one. */
      stack: z.string().optional(),
    })
    .optional(),
});
/**
 * The contents of run.json: what ran (config, seed, environment), how far it got (status,
 * progress), how well (final, best, test evaluations) and what it wrote (artifacts).
 * `readRun(dir).record.best` is e.g. `{ metric: 'valAccuracy', value: 0.8803, epoch: 5 }`.
 */
export type RunRecord = z.infer<typeof runRecordSchema>;

/**
 * Validates an epoch line of metrics.jsonl ({@link EpochEntry}).
 * `epochEntrySchema.parse(JSON.parse(line))` for one line of metrics.jsonl.
 */
export const epochEntrySchema = z.object({
  /** 'epoch': written once at the end of every epoch. */
  kind: z.literal('epoch'),
  /** The 1-based epoch. */
  epoch: z.number().int(),
  /** Updates applied so far. */
  step: z.number().int(),
  /** Training samples seen so far. */
  samples: z.number().int(),
  /** Wall-clock seconds the epoch took. */
  seconds: z.number(),
  /** Learning rate of the epoch's last update. */
  lr: z.number(),
  /** When it was written (ISO 8601). */
  time: z.string(),
  /** trainLoss, trainAccuracy, valLoss, valAccuracy, ... (null for a value that was NaN). */
  metrics: metricValues,
});

/**
 * Validates a periodic-evaluation line of metrics.jsonl ({@link EvaluationEntry}).
 * `evaluationEntrySchema.parse(JSON.parse(line))` for an evaluation line.
 */
export const evaluationEntrySchema = z.object({
  /** 'evaluation': written every N training samples when the run asks for it. */
  kind: z.literal('evaluation'),
  /** Which evaluation: 'periodic' for the every-N-samples ones. */
  split: z.string(),
  /** Epochs done, fractional: 1.5 is halfway through epoch 2. */
  epoch: z.number(),
  /** Updates applied so far. */
  step: z.number().int(),
  /** Training samples seen so far (a multiple of the evaluation interval). */
  samples: z.number().int(),
  /** When it was written (ISO 8601). */
  time: z.string(),
  /** trainLoss, trainAccuracy (on the training subset), valLoss, valAccuracy, ... */
  metrics: metricValues,
});

/**
 * Validates any line of metrics.jsonl: an epoch or an evaluation, told apart by `kind`.
 * `metricEntrySchema.parse(JSON.parse(line)).kind` is 'epoch' or 'evaluation'.
 */
export const metricEntrySchema = z.discriminatedUnion('kind', [
  epochEntrySchema,
  evaluationEntrySchema,
]);
/** One line of metrics.jsonl. */
export type MetricEntry = z.infer<typeof metricEntrySchema>;
/**
 * An epoch line of metrics.jsonl, e.g. `{"kind":"epoch","epoch":1,"step":875,"samples":56000,
 * "seconds":12.6,"lr":0.001,"metrics":{"trainLoss":0.5285,"valAccuracy":0.85},...}`.
 */
export type EpochEntry = z.infer<typeof epochEntrySchema>;
/**
 * A periodic-evaluation line of metrics.jsonl (every N samples, on a training subset and
 * validation): `{"kind":"evaluation","split":"periodic","epoch":0.357,"samples":20000,...}`.
 */
export type EvaluationEntry = z.infer<typeof evaluationEntrySchema>;

/**
 * Parses metrics.jsonl text. A last line without its newline is a write in progress and is
 * ignored; any other malformed line is an error naming its line number.
 * Text of one complete epoch line and a partial second one ('{"kind":"ep') gives one entry.
 */
export function parseMetricLines(text: string, source: string = RUN_FILES.metrics): MetricEntry[] {
  const { entries, problems } = scanMetricLines(text, source);
  if (problems.length > 0) throw new Error(problems[0]);
  return entries;
}

/**
 * Reads what can be read of metrics.jsonl text: the valid lines, and one problem per malformed
 * line ('metrics.jsonl:3: not valid JSON: {"kind":'), so a page can show a damaged run.
 * A last line without its newline (a write in progress) is neither.
 */
export function scanMetricLines(
  text: string,
  source: string = RUN_FILES.metrics,
): {
  /** The valid lines, in file order. */
  entries: MetricEntry[];
  /** One message per malformed line, naming the source and the line number. */
  problems: string[];
} {
  // The last piece is '' after a final newline, or a partial line still being written.
  const complete = text.split('\n').slice(0, -1);
  const entries: MetricEntry[] = [];
  const problems: string[] = [];
  complete.forEach((line, i) => {
    if (line.trim() === '') return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      problems.push(`${source}:${i + 1}: not valid JSON: ${line.slice(0, 80)}`);
      return;
    }
    const parsed = metricEntrySchema.safeParse(json);
    if (parsed.success) entries.push(parsed.data);
    else problems.push(`${source}:${i + 1}: ${describeIssues(parsed.error)}`);
  });
  return { entries, problems };
}

/**
 * Validates a parsed run.json, naming the file and field on error.
 * `parseRunRecord({ format: 'x' }, 'run.json')` throws 'run.json: format: Invalid input: expected
 * "tunelab.run/1"; id: ...'.
 */
export function parseRunRecord(json: unknown, source: string = RUN_FILES.record): RunRecord {
  const parsed = runRecordSchema.safeParse(json);
  if (!parsed.success) throw new Error(`${source}: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

/**
 * "field.path: message; ..." for a zod error.
 * e.g. 'progress.epoch: Invalid input: expected number, received string'.
 */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}

/**
 * A sortable, readable run id: 20261123-141502-quickstart-3fa2.
 * `makeRunId('Quickstart MLP', new Date(2026, 10, 23, 14, 15, 2), '3fa2')` is
 * '20261123-141502-quickstart-mlp-3fa2'.
 */
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
