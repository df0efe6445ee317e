import { createHash } from 'node:crypto';
import type { Trial } from '../sweep/plan.js';

/** A short, stable digest of the sweep's trials: the same experiment file gives the same sweep folder. */
export function planDigest(trials: readonly Trial[]): string {
  const text = JSON.stringify(trials.map((t) => ({ id: t.id, experiment: t.experiment })));
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}
