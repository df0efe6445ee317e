import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { RunWriter } from '@tunelab/core/node';
import { describeIssues, type RunUpload, runUploadSchema } from '@tunelab/core/record';

/** A bad upload (HTTP 400), or one whose id is taken (HTTP 409). */
export class UploadError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 409,
  ) {
    super(message);
    this.name = 'UploadError';
  }
}

/** Validates an uploaded run; errors name the field ("record.seed: expected number ..."). */
export function parseUpload(json: unknown): RunUpload {
  const parsed = runUploadSchema.safeParse(json);
  if (!parsed.success) throw new UploadError(`invalid run: ${describeIssues(parsed.error)}`, 400);
  return parsed.data;
}

/**
 * Writes an uploaded run as `<root>/<record.id>/` through core's RunWriter (durable run.json,
 * metrics.jsonl, artifacts/), the same files `tunelab train` writes. All or nothing: the run
 * is written in a hidden staging folder (never listed) and renamed into place once complete;
 * on any failure the staging folder is removed. Returns the directory.
 */
export function writeUpload(root: string, upload: RunUpload): string {
  const { record } = upload;
  const target = join(root, record.id);
  if (existsSync(target))
    throw new UploadError(`a run named "${record.id}" already exists in the runs directory`, 409);
  mkdirSync(root, { recursive: true });
  const staging = mkdtempSync(join(root, '.upload-'));
  try {
    writeStaged(staging, upload);
    renameSync(join(staging, record.id), target);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return target;
}

function writeStaged(staging: string, upload: RunUpload): void {
  const { record } = upload;
  const writer = RunWriter.create(staging, {
    id: record.id,
    name: record.name,
    config: record.config,
    seed: record.seed,
    environment: record.environment,
    ...(record.data ? { data: record.data } : {}),
    epochs: record.progress.epochs,
  });
  for (const entry of upload.metrics) writer.appendMetrics(entry);
  for (const a of upload.artifacts) {
    const bytes = a.encoding === 'base64' ? Buffer.from(a.data, 'base64') : a.data;
    writer.writeArtifact(a.name, bytes, a.kind, a.description);
  }
  writer.finish(record.status, {
    progress: record.progress,
    testEvaluations: record.testEvaluations,
    ...(record.final ? { final: record.final } : {}),
    ...(record.best ? { best: record.best } : {}),
    ...(record.stopDetail ? { stopDetail: record.stopDetail } : {}),
    ...(record.error ? { error: record.error } : {}),
  });
}
