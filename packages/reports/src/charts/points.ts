import type { MetricEntry } from '@tunelab/core/record';

/** One plotted point of a learning curve. */
export interface CurvePoint {
  /** 1-based epoch (fractional for periodic evaluations within an epoch). */
  epoch: number;
  /** Training samples processed so far. */
  samples: number;
  /** 'loss', 'accuracy', ... */
  metric: string;
  /** 'train', 'validation' or 'test'. */
  split: string;
  /** The metric's value. */
  value: number;
}

/**
 * Fixed colour per split (Vega's category10 order), so train is the same blue in every chart.
 * `SPLIT_COLOURS.validation` is '#f58518' (orange).
 */
export const SPLIT_COLOURS: Readonly<Record<string, string>> = {
  train: '#4c78a8',
  validation: '#f58518',
  test: '#e45756',
};

const SPLIT_PREFIXES: ReadonlyArray<[string, string]> = [
  ['train', 'train'],
  ['val', 'validation'],
  ['test', 'test'],
];

/**
 * Turns metrics.jsonl entries into long-form points: trainLoss at epoch 3 becomes
 * { epoch: 3, metric: 'loss', split: 'train', value }. The split comes from the key's
 * prefix (train, val, test). Non-finite values are left out.
 * An epoch line { epoch: 1, samples: 640, metrics: { trainLoss: 0.9, valAccuracy: 0.7 } } gives
 * { epoch: 1, samples: 640, metric: 'loss', split: 'train', value: 0.9 } and
 * { epoch: 1, samples: 640, metric: 'accuracy', split: 'validation', value: 0.7 }.
 */
export function curvePoints(entries: readonly MetricEntry[]): CurvePoint[] {
  const points: CurvePoint[] = [];
  for (const entry of entries) {
    for (const [key, value] of Object.entries(entry.metrics)) {
      if (value === null || !Number.isFinite(value)) continue;
      const prefix = SPLIT_PREFIXES.find(
        ([p]) => key.startsWith(p) && key.length > p.length && /[A-Z]/.test(key[p.length]!),
      );
      if (!prefix) continue;
      const metric = key.charAt(prefix[0].length).toLowerCase() + key.slice(prefix[0].length + 1);
      points.push({ epoch: entry.epoch, samples: entry.samples, metric, split: prefix[1], value });
    }
  }
  return points;
}

/**
 * The entries to draw: against samples, the periodic evaluations when the run has them
 * (they are denser), else the epoch ends; against epochs, the epoch ends.
 * `entriesFor(run.metrics, 'samples')` of a run evaluated every 20,000 samples gives those
 * evaluation lines; `entriesFor(run.metrics, 'epoch')` the epoch lines.
 */
export function entriesFor(entries: readonly MetricEntry[], x: 'epoch' | 'samples'): MetricEntry[] {
  const periodic = entries.filter((e) => e.kind === 'evaluation' && e.split === 'periodic');
  if (x === 'samples' && periodic.length > 0) return periodic;
  return entries.filter((e) => e.kind === 'epoch');
}

/** A colour scale that lists only the splits present, in the fixed colours. */
export function splitScale(points: readonly CurvePoint[]): { domain: string[]; range: string[] } {
  const splits = Object.keys(SPLIT_COLOURS).filter((s) => points.some((p) => p.split === s));
  return { domain: splits, range: splits.map((s) => SPLIT_COLOURS[s]!) };
}

/** The horizontal axis of a learning curve: whole epochs, or training samples in SI units (20k). */
export function xEncoding(x: 'epoch' | 'samples') {
  return {
    field: x,
    type: 'quantitative' as const,
    title: x === 'epoch' ? 'epoch' : 'training samples',
    axis: x === 'epoch' ? { tickMinStep: 1, format: 'd' } : { format: '~s' },
  };
}
