import type { RunListing } from '@tunelab/core/record';
import { RUN_FORMAT, type RunRecord } from '@tunelab/core/record';
import { describe, expect, it } from 'vitest';
import { EMPTY_QUERY, facetValues, filterRuns, metricKeys, sortRuns } from './listing.js';

const run = (
  id: string,
  o: {
    model: string;
    dataset: string;
    status?: RunRecord['status'];
    tags?: string[];
    val?: number;
    created: string;
  },
): RunListing => ({
  id,
  sweep: id.includes('/') ? id.split('/')[0]! : null,
  record: {
    format: RUN_FORMAT,
    id,
    name: `run ${id}`,
    status: o.status ?? 'completed',
    createdAt: o.created,
    updatedAt: o.created,
    config: { model: { name: o.model }, ...(o.tags ? { tags: o.tags } : {}) },
    seed: 1,
    environment: {
      backend: 'wasm',
      backendAttempts: [],
      versions: {},
      platform: 'linux',
      arch: 'x64',
      cpus: 2,
    },
    data: { dataset: o.dataset },
    progress: { epoch: 1, epochs: 1, step: 1 },
    ...(o.val === undefined ? {} : { final: { valAccuracy: o.val, trainLoss: 1 - o.val } }),
    testEvaluations: [],
    artifacts: [],
  },
});

const runs = [
  run('a', {
    model: 'mlp',
    dataset: 'fashion-mnist',
    tags: ['baseline'],
    val: 0.85,
    created: '2026-11-01T10:00:00Z',
  }),
  run('b', { model: 'cnn4', dataset: 'mnist', val: 0.97, created: '2026-11-01T11:00:00Z' }),
  run('s/t01', {
    model: 'cnn4',
    dataset: 'fashion-mnist',
    status: 'running',
    created: '2026-11-01T12:00:00Z',
  }),
  run('s/t02', {
    model: 'mlp',
    dataset: 'fashion-mnist',
    val: 0.86,
    tags: ['baseline', 'wide'],
    created: '2026-11-01T13:00:00Z',
  }),
];
const ids = (list: RunListing[]) => list.map((r) => r.id);

describe('runs list', () => {
  it('filters by facets and by every word of the search text', () => {
    expect(ids(filterRuns(runs, { ...EMPTY_QUERY, model: 'cnn4' }))).toEqual(['b', 's/t01']);
    expect(
      ids(filterRuns(runs, { ...EMPTY_QUERY, dataset: 'fashion-mnist', tag: 'baseline' })),
    ).toEqual(['a', 's/t02']);
    expect(ids(filterRuns(runs, { ...EMPTY_QUERY, status: 'running' }))).toEqual(['s/t01']);
    expect(ids(filterRuns(runs, { ...EMPTY_QUERY, text: 'MLP wide' }))).toEqual(['s/t02']);
    expect(ids(filterRuns(runs, { ...EMPTY_QUERY, text: 'nothing-like-it' }))).toEqual([]);
  });

  it('offers the values present for each filter, and the metric columns validation first', () => {
    expect(facetValues(runs)).toEqual({
      dataset: ['fashion-mnist', 'mnist'],
      model: ['cnn4', 'mlp'],
      status: ['completed', 'running'],
      tag: ['baseline', 'wide'],
    });
    expect(metricKeys(runs)).toEqual(['valAccuracy', 'trainLoss']);
  });

  it('sorts by a metric either way with runs lacking it last, and by name or creation', () => {
    expect(ids(sortRuns(runs, 'final:valAccuracy', 'desc'))).toEqual(['b', 's/t02', 'a', 's/t01']);
    expect(ids(sortRuns(runs, 'final:valAccuracy', 'asc'))).toEqual(['a', 's/t02', 'b', 's/t01']);
    expect(ids(sortRuns(runs, 'created', 'desc'))).toEqual(['s/t02', 's/t01', 'b', 'a']);
    expect(ids(sortRuns(runs, 'name', 'asc'))).toEqual(['a', 'b', 's/t01', 's/t02']);
  });
});
