import { appendFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRun } from '@tunelab/core/node';
import { encodeIdx, KNOWN_DATASETS } from '@tunelab/datasets';
import { locateDataset } from '@tunelab/datasets/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUiServer, type UiServer } from './server.js';
import {
  createFixtureRuns,
  environment,
  epochLine,
  SWEEP_ID,
  writeFixtureRun,
} from './testing/fixture-runs.js';
import { openEvents, rawRequest } from './testing/http.js';

let root: string;
let server: UiServer;
let webDir: string;
let dataDir: string;
const ALPHA = '20261101-100000-alpha-aaaa';
const get = async (path: string) => {
  const res = await rawRequest(server.port, path);
  // No answer tells where the runs live on this machine.
  expect(res.body).not.toContain(root);
  return { ...res, json: res.body.startsWith('{') ? JSON.parse(res.body) : null };
};

beforeAll(async () => {
  root = createFixtureRuns();
  webDir = mkdtempSync(join(tmpdir(), 'tunelab-web-'));
  writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>tunelab test app</title>');
  // A tiny Fashion-MNIST: 4 images of 28x28 and their labels, in the official file names.
  dataDir = mkdtempSync(join(tmpdir(), 'tunelab-fashion-'));
  const images = encodeIdx({ dtype: 'uint8', shape: [4, 28, 28], data: new Uint8Array(4 * 784) });
  const labels = encodeIdx({ dtype: 'uint8', shape: [4], data: Uint8Array.from([0, 1, 2, 3]) });
  const parts = KNOWN_DATASETS['fashion-mnist']!.parts;
  for (const part of Object.values(parts)) {
    writeFileSync(join(dataDir, part[0]!.replace(/\.gz$/, '')), images);
    writeFileSync(join(dataDir, part[1]!.replace(/\.gz$/, '')), labels);
  }
  server = await startUiServer({
    runsDir: root,
    webDir,
    port: 0,
    pollMs: 100,
    locateDataset: (name) => locateDataset(name, { path: dataDir }),
  });
});

afterAll(async () => {
  await server?.close();
});

describe('tunelab ui server: reading runs', () => {
  it('binds to 127.0.0.1 and says what it serves', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const info = await get('/api/info');
    expect(info.status).toBe(200);
    expect(info.json).toMatchObject({ name: 'tunelab', runsDir: 'runs', upload: true });
    expect(info.json.token).toMatch(/^[0-9a-f]{32}$/);
  });

  it('lists plain runs and sweep trials, oldest first, with unreadable runs as problems', async () => {
    const { status, json } = await get('/api/runs');
    expect(status).toBe(200);
    const ids = json.runs.map((r: { id: string }) => r.id);
    expect(ids).toEqual([
      ALPHA,
      '20261101-110000-beta-bbbb',
      ...['t01', 't02', 't03', 't04'].map((t) => `${SWEEP_ID}/${t}`),
    ]);
    expect(json.runs[2].sweep).toBe(SWEEP_ID);
    expect(json.runs[0].sweep).toBeNull();
    expect(json.runs[0].record.best).toMatchObject({ metric: 'valAccuracy', epoch: 5 });
    expect(json.problems).toEqual([
      { id: '20261101-090000-broken-cccc', error: expect.stringContaining('run.json: ') },
    ]);
    // A link to a run outside the runs directory is not followed.
    expect(ids).not.toContain('linked');
  });

  it('answers a run (sweep trials by their encoded path), its metrics and artifacts', async () => {
    const trial = await get(`/api/runs/${encodeURIComponent(`${SWEEP_ID}/t03`)}`);
    expect(trial.status).toBe(200);
    expect(trial.json).toMatchObject({
      id: `${SWEEP_ID}/t03`,
      sweep: SWEEP_ID,
      record: { name: 'demo-t03' },
    });
    const run = await get(`/api/runs/${ALPHA}`);
    expect(run.json.artifacts.map((a: { name: string }) => a.name)).toEqual([
      'confusion-validation.json',
      'model-summary.json',
    ]);
    expect(run.json.artifacts[0]).toMatchObject({
      kind: 'application/json',
      description: 'confusion matrix',
    });
    const metrics = await get(`/api/runs/${ALPHA}/metrics`);
    expect(metrics.json.metrics.map((m: { epoch: number }) => m.epoch)).toEqual([1, 2, 3, 4, 5]);
    const artifact = await get(`/api/runs/${ALPHA}/artifacts/confusion-validation.json`);
    expect(artifact.status).toBe(200);
    expect(artifact.headers['content-type']).toMatch(/^application\/json/);
    expect(artifact.headers['content-security-policy']).toContain('sandbox');
    expect(artifact.json.matrix).toHaveLength(10);
    expect((await get(`/api/runs/${ALPHA}/artifacts/nothing.png`)).status).toBe(404);
    const missing = await get('/api/runs/no-such-run');
    expect(missing.status).toBe(404);
    expect(missing.json.error).toBe('no run "no-such-run" in the runs directory');
  });

  it('lists sweeps and answers one with the run id of each trial', async () => {
    const list = await get('/api/sweeps');
    expect(list.json.sweeps).toEqual([
      expect.objectContaining({ id: SWEEP_ID, name: 'demo', trials: 4, done: 4 }),
    ]);
    const sweep = await get(`/api/sweeps/${SWEEP_ID}`);
    expect(sweep.json.axes).toEqual(['model', 'lr']);
    expect(sweep.json.trials.map((t: { runId: string }) => t.runId)).toEqual(
      ['t01', 't02', 't03', 't04'].map((t) => `${SWEEP_ID}/${t}`),
    );
    expect(sweep.json.selection.trial).toBe('t04');
    expect((await get(`/api/sweeps/${ALPHA}`)).status).toBe(404);
  });

  it('leaves out a partial last metrics line (a write in progress)', async () => {
    const writer = writeFixtureRun(root, {
      id: 'partial',
      name: 'partial',
      epochs: 3,
      runningAt: 2,
    });
    appendFileSync(join(writer.dir, 'metrics.jsonl'), '{"kind":"epoch","epoch":3,"st');
    const metrics = await get('/api/runs/partial/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.json.metrics.map((m: { epoch: number }) => m.epoch)).toEqual([1, 2]);
  });

  it('serves the web app, and JSON 404s for unknown API routes', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('tunelab test app');
    expect((await get('/api/nothing')).status).toBe(404);
  });

  it('serves dataset files for in-browser training, and only those', async () => {
    const list = await get('/api/datasets');
    expect(list.json.datasets.map((d: { name: string }) => d.name)).toContain('fashion-mnist');
    const fashion = list.json.datasets.find((d: { name: string }) => d.name === 'fashion-mnist');
    expect(fashion.parts.train).toEqual([
      { name: 'train-images-idx3-ubyte', bytes: 16 + 4 * 784 },
      { name: 'train-labels-idx1-ubyte', bytes: 8 + 4 },
    ]);
    const file = await rawRequest(
      server.port,
      '/api/datasets/fashion-mnist/files/train-labels-idx1-ubyte',
    );
    expect(file.status).toBe(200);
    expect(file.body.length).toBe(12);
    expect((await get('/api/datasets/fashion-mnist/files/run.json')).status).toBe(404);
    expect((await get('/api/datasets/__proto__/files/x')).status).toBe(404);
  });
});

describe('tunelab ui server: refusing paths outside the runs directory', () => {
  const attacks = [
    '/api/runs/..%2Fsecret.txt',
    '/api/runs/..%2F..%2F..%2Fetc%2Fpasswd',
    '/api/runs/%2E%2E%2Fsecret.txt',
    '/api/runs/..%2Foutside-run',
    '/api/runs/..%2Foutside-run/metrics',
    '/api/runs/..%2Foutside-run/events',
    '/api/runs/%2Fetc%2Fpasswd',
    '/api/runs/..%5Csecret.txt',
    '/api/runs/.%2F..%2Fsecret.txt',
    '/api/runs/linked',
    '/api/runs/linked/metrics',
    `/api/runs/${ALPHA}/artifacts/..%2F..%2F..%2Fsecret.txt`,
    `/api/runs/${ALPHA}/artifacts/..%2Frun.json`,
    '/api/sweeps/..%2F',
    '/api/sweeps/..%2F..',
  ];
  it.each(attacks)('refuses %s with 403', async (path) => {
    const res = await get(path);
    expect(res.status).toBe(403);
    expect(res.json.error).toMatch(
      /^refused path ".*": .*; expected a path inside the runs directory$/,
    );
  });

  const elsewhere = [
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/..%2Fsecret.txt',
    '/%2e%2e%2fsecret.txt',
    '/api/runs/..%252Fsecret.txt',
    '/api/datasets/fashion-mnist/files/..%2F..%2Fetc%2Fpasswd',
    `/api/runs/${ALPHA}/artifacts/%2e%2e`,
    `/api/runs/${ALPHA}/artifacts/..`,
  ];
  it.each(elsewhere)('never serves a file outside for %s', async (path) => {
    const res = await get(path);
    expect([403, 404, 200]).toContain(res.status);
    expect(res.body).not.toContain('not for the API');
    expect(res.body).not.toContain('"name":"outside"');
  });

  it('refuses another Host (DNS rebinding) and cross-site writes', async () => {
    const rebound = await rawRequest(server.port, '/api/runs', {
      headers: { host: 'evil.example:4777' },
    });
    expect(rebound.status).toBe(403);
    expect(rebound.body).toContain('Host \\"evil.example:4777\\" refused');
    const forged = await rawRequest(server.port, '/api/runs', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://evil.example' },
      body: '{}',
    });
    expect(forged.status).toBe(403);
  });
});

describe('tunelab ui server: live updates', () => {
  it('streams a run being written: snapshot, appended lines (complete ones only) and record changes', async () => {
    const writer = writeFixtureRun(root, { id: 'live-run', name: 'live', epochs: 4, runningAt: 1 });
    const events = await openEvents(`${server.url}api/runs/live-run/events`);
    try {
      expect(events.contentType).toBe('text/event-stream');
      const snapshot = await events.next((e) => e.event === 'snapshot');
      expect(snapshot.data).toMatchObject({
        record: { status: 'running' },
        metrics: [{ epoch: 1 }],
      });
      writer.appendMetrics(epochLine(2));
      const appended = await events.next((e) => e.event === 'metrics');
      expect(
        (appended.data as { entries: Array<{ epoch: number }> }).entries.map((m) => m.epoch),
      ).toEqual([2]);
      // Half a line arrives first: nothing is sent until its newline does.
      const line = `${JSON.stringify(epochLine(3))}\n`;
      appendFileSync(join(writer.dir, 'metrics.jsonl'), line.slice(0, 40));
      await new Promise((r) => setTimeout(r, 300));
      appendFileSync(join(writer.dir, 'metrics.jsonl'), line.slice(40));
      const completed = await events.next((e) => e.event === 'metrics');
      expect(
        (completed.data as { entries: Array<{ epoch: number }> }).entries.map((m) => m.epoch),
      ).toEqual([3]);
      writer.finish('completed');
      const record = await events.next((e) => e.event === 'record');
      expect(record.data).toMatchObject({ record: { status: 'completed' } });
    } finally {
      events.close();
    }
  });

  it('streams the list of runs again when a run appears', async () => {
    const events = await openEvents(`${server.url}api/events`);
    try {
      const first = await events.next((e) => e.event === 'runs');
      const count = (first.data as { runs: unknown[] }).runs.length;
      writeFixtureRun(root, { id: 'new-run', name: 'new', epochs: 2, runningAt: 0 });
      const next = await events.next((e) => e.event === 'runs');
      const runs = (next.data as { runs: Array<{ id: string }> }).runs;
      expect(runs).toHaveLength(count + 1);
      expect(runs.at(-1)!.id).toBe('new-run');
      expect((next.data as { sweeps: unknown[] }).sweeps).toHaveLength(1);
    } finally {
      events.close();
    }
  });
});

describe('tunelab ui server: runs uploaded from the browser', () => {
  const upload = (record: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    record: {
      format: 'tunelab.run/1',
      id: '20261123-120000-browser-cnn4-beef',
      name: 'browser-cnn4',
      status: 'completed',
      createdAt: '2026-11-23T12:00:00.000Z',
      updatedAt: '2026-11-23T12:01:00.000Z',
      config: { model: { name: 'cnn4' }, tags: ['browser'] },
      seed: 1,
      environment: { ...environment, backend: 'webgl', platform: 'browser' },
      progress: { epoch: 2, epochs: 2, step: 20 },
      final: epochLine(2).metrics,
      best: { metric: 'valAccuracy', value: epochLine(2).metrics.valAccuracy, epoch: 2 },
      ...record,
    },
    metrics: [epochLine(1), epochLine(2)],
    artifacts: [
      {
        name: 'model-summary.json',
        kind: 'application/json',
        encoding: 'utf8',
        data: '{"layers":[]}',
      },
      {
        name: 'model.safetensors',
        kind: 'application/safetensors',
        encoding: 'base64',
        data: Buffer.from([1, 2, 3]).toString('base64'),
      },
    ],
    ...extra,
  });
  const post = async (body: unknown, headers: Record<string, string> = {}) => {
    const { token } = JSON.parse((await rawRequest(server.port, '/api/info')).body);
    return rawRequest(server.port, '/api/runs', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        origin: server.url.slice(0, -1),
        'x-tunelab-token': token,
        ...headers,
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  };

  it('writes a valid upload as a run directory through RunWriter', async () => {
    const res = await post(upload({}));
    expect(res.status).toBe(201);
    expect(JSON.parse(res.body)).toEqual({ id: '20261123-120000-browser-cnn4-beef' });
    const run = readRun(join(root, '20261123-120000-browser-cnn4-beef'));
    expect(run.record).toMatchObject({
      status: 'completed',
      environment: { backend: 'webgl' },
      progress: { epoch: 2 },
    });
    expect(run.metrics).toHaveLength(2);
    expect(run.record.artifacts.map((a) => a.path)).toEqual([
      'artifacts/model-summary.json',
      'artifacts/model.safetensors',
    ]);
    const weights = await get(
      `/api/runs/20261123-120000-browser-cnn4-beef/artifacts/model.safetensors`,
    );
    expect(weights.body).toBe('\u0001\u0002\u0003');
    expect((await post(upload({}))).status).toBe(409);
  });

  it('refuses invalid uploads, naming the field', async () => {
    const bad = await post(upload({ seed: 'x', id: 'other' }));
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error).toMatch(/^invalid run: record\.seed: /);
    const escaped = await post(upload({ id: '../escaped' }));
    expect(escaped.status).toBe(400);
    expect(JSON.parse(escaped.body).error).toContain('record.id: expected a plain directory name');
    expect(existsSync(join(root, '..', 'escaped'))).toBe(false);
    const artifact = await post(
      upload(
        { id: 'x2' },
        { artifacts: [{ name: '../x', kind: 'k', encoding: 'utf8', data: '' }] },
      ),
    );
    expect(artifact.status).toBe(400);
    expect((await post('{not json')).status).toBe(400);
    const form = await post('a=b', { 'content-type': 'text/plain' });
    expect(form.status).toBe(400);
    expect(JSON.parse(form.body).error).toBe(
      'expected Content-Type application/json, got "text/plain"',
    );
    expect(existsSync(join(root, 'other'))).toBe(false);
  });
});

describe('tunelab ui server without a built web app', () => {
  it('serves the API and says how to build the app', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'tunelab-empty-'));
    mkdirSync(join(empty, 'runs'));
    const bare = await startUiServer({ runsDir: join(empty, 'runs'), webDir: null, port: 0 });
    try {
      const page = await rawRequest(bare.port, '/');
      expect(page.body).toContain('pnpm build');
      const runs = await rawRequest(bare.port, '/api/runs');
      expect(JSON.parse(runs.body)).toEqual({ runs: [], problems: [] });
    } finally {
      await bare.close();
    }
  });
});
