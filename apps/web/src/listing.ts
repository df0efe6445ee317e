import type { RunListing } from '@tunelab/core/record';

/** What the runs list filters on, read from a run's record. */
export interface RunFacets {
  readonly dataset: string | null;
  readonly model: string | null;
  readonly status: string;
  readonly tags: readonly string[];
}

/** The dataset, model, status and tags of a run (from its config and data sections). */
export function facetsOf(run: RunListing): RunFacets {
  const { config, data, status } = run.record;
  const configData = config.data as { dataset?: unknown } | undefined;
  const dataset = data?.dataset ?? configData?.dataset;
  const model = (config.model as { name?: unknown } | undefined)?.name;
  const tags = Array.isArray(config.tags) ? config.tags.filter((t) => typeof t === 'string') : [];
  return {
    dataset: typeof dataset === 'string' ? dataset : null,
    model: typeof model === 'string' ? model : null,
    status,
    tags,
  };
}

/** The runs list's filters: free text, and exact dataset/model/status/tag (empty: any). */
export interface RunQuery {
  readonly text: string;
  readonly dataset: string;
  readonly model: string;
  readonly status: string;
  readonly tag: string;
}

export const EMPTY_QUERY: RunQuery = { text: '', dataset: '', model: '', status: '', tag: '' };

/**
 * Runs matching `query`: every word of the text appears (case-insensitive) in the run's id,
 * name, sweep, model, dataset or tags, and each set facet matches exactly.
 */
export function filterRuns(runs: readonly RunListing[], query: RunQuery): RunListing[] {
  const words = query.text.toLowerCase().split(/\s+/).filter(Boolean);
  return runs.filter((run) => {
    const f = facetsOf(run);
    if (query.dataset && f.dataset !== query.dataset) return false;
    if (query.model && f.model !== query.model) return false;
    if (query.status && f.status !== query.status) return false;
    if (query.tag && !f.tags.includes(query.tag)) return false;
    const haystack = [
      run.id,
      run.record.name,
      run.sweep ?? '',
      f.model ?? '',
      f.dataset ?? '',
      ...f.tags,
    ]
      .join(' ')
      .toLowerCase();
    return words.every((w) => haystack.includes(w));
  });
}

/** The values each facet takes among `runs`, sorted, for the filter menus. */
export function facetValues(
  runs: readonly RunListing[],
): Record<'dataset' | 'model' | 'status' | 'tag', string[]> {
  const sets = {
    dataset: new Set<string>(),
    model: new Set<string>(),
    status: new Set<string>(),
    tag: new Set<string>(),
  };
  for (const run of runs) {
    const f = facetsOf(run);
    if (f.dataset) sets.dataset.add(f.dataset);
    if (f.model) sets.model.add(f.model);
    sets.status.add(f.status);
    for (const t of f.tags) sets.tag.add(t);
  }
  const sorted = (s: Set<string>) => [...s].sort();
  return {
    dataset: sorted(sets.dataset),
    model: sorted(sets.model),
    status: sorted(sets.status),
    tag: sorted(sets.tag),
  };
}

/** The final metrics present in any run (valAccuracy, trainLoss, ...), validation first. */
export function metricKeys(runs: readonly RunListing[]): string[] {
  const keys = new Set<string>();
  for (const run of runs) for (const k of Object.keys(run.record.final ?? {})) keys.add(k);
  const rank = (k: string) => (k.startsWith('val') ? 0 : k.startsWith('train') ? 1 : 2);
  return [...keys].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** A sortable column: a record field, the best value, or a final metric ("final:valAccuracy"). */
export type SortKey = 'created' | 'name' | 'status' | 'epoch' | 'best' | `final:${string}`;

/** The value a run sorts by under `key` (null sorts last in either direction). */
export function sortValue(run: RunListing, key: SortKey): number | string | null {
  const r = run.record;
  if (key === 'created') return r.createdAt;
  if (key === 'name') return r.name.toLowerCase();
  if (key === 'status') return r.status;
  if (key === 'epoch') return r.progress.epoch;
  if (key === 'best') return r.best?.value ?? null;
  const value = r.final?.[key.slice('final:'.length)];
  return value === undefined || value === null || !Number.isFinite(value) ? null : value;
}

/** Runs sorted by `key` (stable; runs without a value last, whichever the direction). */
export function sortRuns(
  runs: readonly RunListing[],
  key: SortKey,
  direction: 'asc' | 'desc',
): RunListing[] {
  const sign = direction === 'asc' ? 1 : -1;
  return runs
    .map((run, i) => ({ run, i, v: sortValue(run, key) }))
    .sort((a, b) => {
      if (a.v === null || b.v === null) return a.v === b.v ? a.i - b.i : a.v === null ? 1 : -1;
      const c =
        typeof a.v === 'number' && typeof b.v === 'number'
          ? a.v - b.v
          : String(a.v).localeCompare(String(b.v));
      return c === 0 ? a.i - b.i : sign * c;
    })
    .map((x) => x.run);
}
