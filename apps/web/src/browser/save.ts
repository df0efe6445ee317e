import type { MemoryRun, RunUpload } from '@tunelab/core/record';

/** Bytes as base64, in chunks (String.fromCharCode takes a bounded number of arguments). */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** The body of POST /api/runs for a run trained here: record, metrics lines, artifacts. */
export function runUpload(run: MemoryRun): RunUpload {
  const record = run.record;
  if (record.status === 'running') throw new Error(`run ${record.id} is still training`);
  return {
    record: { ...record, status: record.status },
    metrics: run.metrics,
    artifacts: run.artifacts.map((a) => ({
      name: a.name,
      kind: a.kind,
      ...(a.description ? { description: a.description } : {}),
      ...(typeof a.data === 'string'
        ? { encoding: 'utf8' as const, data: a.data }
        : { encoding: 'base64' as const, data: toBase64(a.data) }),
    })),
  };
}

/** The files of the run directory, as the browser downloads them (run.json, metrics.jsonl, artifacts). */
export function runFiles(run: MemoryRun): Array<{ name: string; blob: Blob }> {
  return [
    { name: 'run.json', blob: new Blob([run.recordText()], { type: 'application/json' }) },
    {
      name: 'metrics.jsonl',
      blob: new Blob([run.metricsText()], { type: 'application/x-ndjson' }),
    },
    ...run.artifacts.map((a) => ({
      name: a.name,
      blob: new Blob([a.data as BlobPart], { type: a.kind }),
    })),
  ];
}
