import type { TrialWithRun } from '@tunelab/core/record';
import { escapeHtml } from '../dom.js';

/**
 * Where a trial of a queued sweep is, as a small line under its status: 'waiting for a
 * worker', 'on w2 (lab-3, wasm) · epoch 3/6', and the attempts when there were several
 * ('w1 lost · w2 from epoch 2, completed'). Empty for a trial of a local sweep.
 */
export function trialPlace(t: TrialWithRun): string {
  const attempts = t.attempts ?? [];
  const lines: string[] = [];
  if (t.status === 'queued')
    lines.push(
      attempts.length ? 'back in the queue, waiting for a worker' : 'waiting for a worker',
    );
  else if (t.worker) {
    const where = [t.worker.host, t.worker.backend].filter(Boolean).join(', ');
    const progress =
      t.status === 'running' && t.epoch !== undefined
        ? ` · epoch ${t.epoch}/${t.targetEpochs}`
        : '';
    lines.push(`on ${escapeHtml(t.worker.id)} (${escapeHtml(where)})${progress}`);
  }
  if (attempts.length > 1)
    lines.push(
      `attempts: ${attempts
        .map(
          (a) =>
            `${escapeHtml(a.worker)}${a.fromEpoch ? ` from epoch ${a.fromEpoch}` : ''}, ${escapeHtml(a.outcome)}`,
        )
        .join(' · ')}`,
    );
  return lines.map((l) => `<div class="muted small worker">${l}</div>`).join('');
}
