import { existsSync } from 'node:fs';
import { UsageError } from '../errors.js';

/** Environment variable read when `--workers` is not given (tunelab sweep sets it for its trials). */
export const WORKERS_ENV_VAR = 'TUNELAB_WORKERS';

/** Parses `--workers` (else $TUNELAB_WORKERS): 'auto', or a count of replica threads (0 = this thread only). */
export function parseWorkers(value: string | undefined): number | 'auto' {
  if (value === undefined) value = process.env[WORKERS_ENV_VAR];
  if (value === undefined || value === '' || value === 'auto') return 'auto';
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 64)
    throw new UsageError(
      `--workers (or $${WORKERS_ENV_VAR}) must be "auto" or a whole number from 0 to 64, got "${value}"`,
    );
  return n;
}

/** dist/replica-worker.js, next to the bundled code or (from src, in tests) in the package's dist. */
export function replicaWorkerUrl(): URL {
  const candidates = [
    new URL('./replica-worker.js', import.meta.url),
    new URL('../../dist/replica-worker.js', import.meta.url),
  ];
  const found = candidates.find((u) => existsSync(u));
  if (!found) throw new Error('replica-worker.js not found: build the CLI first (pnpm build)');
  return found;
}
