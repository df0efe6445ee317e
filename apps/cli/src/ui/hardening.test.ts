import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUiServer, type UiServer } from './server.js';
import {
  createFixtureRuns,
  environment,
  epochLine,
  writeFixtureRun,
} from './testing/fixture-runs.js';
import { openEvents, type RawResponse, rawRequest } from './testing/http.js';

// Requests as a browser on a hostile page (or a DNS-rebound name) would send them, over real
// HTTP, against servers bound to loopback and to every interface.

let root: string;
let local: UiServer;
let open: UiServer;
let openWithUpload: UiServer;

beforeAll(async () => {
  root = createFixtureRuns();
  local = await startUiServer({ runsDir: root, webDir: null, port: 0, pollMs: 100 });
  open = await startUiServer({
    runsDir: root,
    webDir: null,
    port: 0,
    host: '0.0.0.0',
    allowHosts: ['lab-1.example'],
  });
  openWithUpload = await startUiServer({
    runsDir: root,
    webDir: null,
    port: 0,
    host: '0.0.0.0',
    uploads: true,
  });
});
afterAll(async () => {
  await Promise.all([local?.close(), open?.close(), openWithUpload?.close()]);
});

/** A request to `server` naming `host` (default: its own address) with `headers`; bodies never hold an absolute path. */
async function request(
  server: UiServer,
  path: string,
  options: {
    method?: string;
    host?: string;
    headers?: Record<string, string>;
    body?: unknown;
  } = {},
): Promise<RawResponse & { json: { error?: string } & Record<string, unknown> }> {
  const res = await rawRequest(server.port, path, {
    method: options.method ?? 'GET',
    headers: {
      host: options.host ?? `127.0.0.1:${server.port}`,
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    },
    ...(options.body !== undefined
      ? { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }
      : {}),
  });
  expect(res.body).not.toContain(dirname(root));
  return { ...res, json: res.body.startsWith('{') ? JSON.parse(res.body) : {} };
}

const tokenOf = async (server: UiServer) =>
  (await request(server, '/api/info')).json.token as string;

/** An upload like the browser's, with `record` fields and `extra` body fields replaced. */
function upload(id: string, extra: Record<string, unknown> = {}) {
  return {
    record: {
      format: 'tunelab.run/1',
      id,
      name: 'browser',
      status: 'completed',
      createdAt: '2026-11-23T12:00:00.000Z',
      updatedAt: '2026-11-23T12:01:00.000Z',
      config: {},
      seed: 1,
      environment,
      progress: { epoch: 1, epochs: 1, step: 10 },
    },
    metrics: [epochLine(1)],
    artifacts: [{ name: 'notes.txt', kind: 'text/plain', encoding: 'utf8', data: 'hi' }],
    ...extra,
  };
}

describe('Host and Origin checks (DNS rebinding, cross-site pages)', () => {
  it('bound to every interface, still answers only allowed Host names', async () => {
    for (const host of [
      'evil.example',
      `evil.example:${open.port}`,
      '0.0.0.0',
      'attacker.127.0.0.1.nip.io',
    ]) {
      const res = await request(open, '/api/runs', { host });
      expect(res.status, host).toBe(403);
      expect(res.json.error).toContain(`Host "${host.toLowerCase()}" refused`);
    }
    for (const host of [
      `127.0.0.1:${open.port}`,
      `localhost:${open.port}`,
      `${hostname()}:${open.port}`,
      'lab-1.example',
    ])
      expect((await request(open, '/api/runs', { host })).status, host).toBe(200);
  });

  it("refuses any request whose Origin is not the dashboard's own, reads included", async () => {
    for (const origin of ['http://evil.example', 'null', `http://localhost:${local.port + 1}`]) {
      const read = await request(local, '/api/runs', { headers: { origin } });
      expect(read.status, origin).toBe(403);
      expect(read.json.error).toContain(`Origin "${origin}" refused`);
    }
    expect(
      (await request(local, '/api/runs', { headers: { origin: `http://127.0.0.1:${local.port}` } }))
        .status,
    ).toBe(200);
  });

  it('a page on evil.example POSTing through a rebound name writes nothing', async () => {
    const token = await tokenOf(local);
    const res = await request(local, '/api/runs', {
      method: 'POST',
      host: 'evil.example',
      headers: { origin: 'http://evil.example', 'x-tunelab-token': token },
      body: upload('evil-run'),
    });
    expect(res.status).toBe(403);
    expect(existsSync(join(root, 'evil-run'))).toBe(false);
  });
});

describe('writes', () => {
  it('need the token of this server start', async () => {
    const body = upload('no-token');
    const none = await request(local, '/api/runs', { method: 'POST', body });
    expect(none.status).toBe(403);
    expect(none.json.error).toContain('missing or wrong x-tunelab-token header');
    const wrong = await request(local, '/api/runs', {
      method: 'POST',
      body,
      headers: { 'x-tunelab-token': 'f'.repeat(32) },
    });
    expect(wrong.status).toBe(403);
    expect(existsSync(join(root, 'no-token'))).toBe(false);
    const right = await request(local, '/api/runs', {
      method: 'POST',
      body,
      headers: { 'x-tunelab-token': await tokenOf(local) },
    });
    expect(right.status).toBe(201);
    expect(existsSync(join(root, 'no-token', 'run.json'))).toBe(true);
  });

  it('are off on a server others can reach, unless --allow-upload', async () => {
    const info = await request(open, '/api/info');
    expect(info.json).toMatchObject({ upload: false });
    expect(info.json.token).toBeUndefined();
    const refused = await request(open, '/api/runs', { method: 'POST', body: upload('from-lan') });
    expect(refused.status).toBe(403);
    expect(refused.json.error).toContain('writes are off: the server listens on 0.0.0.0');
    expect(existsSync(join(root, 'from-lan'))).toBe(false);
    const token = await tokenOf(openWithUpload);
    const allowed = await request(openWithUpload, '/api/runs', {
      method: 'POST',
      body: upload('from-lan'),
      headers: { 'x-tunelab-token': token },
    });
    expect(allowed.status).toBe(201);
  });

  it('refuses bad names with 400 naming the field, writing nothing', async () => {
    const token = await tokenOf(local);
    const before = readdirSync(root).sort();
    const cases: Array<[unknown, string]> = [
      [
        upload('x'.repeat(300)),
        'record.id: expected a plain directory name of at most 100 characters',
      ],
      [upload('..'), 'record.id: expected a plain directory name, not dots only'],
      [
        upload('ok-1', { artifacts: [{ name: '.', kind: 'k', encoding: 'utf8', data: '' }] }),
        'artifacts.0.name: expected a plain file name, not dots only',
      ],
      [
        upload('ok-2', { artifacts: [{ name: '..', kind: 'k', encoding: 'utf8', data: '' }] }),
        'artifacts.0.name: expected a plain file name, not dots only',
      ],
      [
        upload('ok-3', {
          artifacts: [
            { name: 'a.txt', kind: 'k', encoding: 'utf8', data: '1' },
            { name: 'a.txt', kind: 'k', encoding: 'utf8', data: '2' },
          ],
        }),
        'artifacts: two artifacts have the same name',
      ],
    ];
    for (const [body, message] of cases) {
      const res = await request(local, '/api/runs', {
        method: 'POST',
        body,
        headers: { 'x-tunelab-token': token },
      });
      expect(res.status, message).toBe(400);
      expect(res.json.error).toContain(message);
    }
    // Nothing written, not even a half-written run (a staging folder is hidden and removed).
    expect(readdirSync(root).sort()).toEqual(before);
    const listing = await request(local, '/api/runs');
    expect(JSON.stringify(listing.json)).not.toMatch(/ok-[123]|x{300}/);
  });
});

describe('damaged files are listed with their problem and show what can be read', () => {
  it('a run with a bad metrics line', async () => {
    const writer = writeFixtureRun(root, { id: 'bad-line', name: 'bad-line', epochs: 3 });
    const path = join(writer.dir, 'metrics.jsonl');
    const lines = readFileSync(path, 'utf8').split('\n');
    lines[1] = '{"kind":"epoch","epoch":2,"st';
    writeFileSync(path, lines.join('\n'));
    const problem = 'metrics.jsonl:2: not valid JSON: {"kind":"epoch","epoch":2,"st';
    const listing = await request(local, '/api/runs');
    const listed = (listing.json.runs as Array<{ id: string; problems?: string[] }>).find(
      (r) => r.id === 'bad-line',
    );
    expect(listed?.problems).toEqual([problem]);
    const page = await request(local, '/api/runs/bad-line');
    expect(page.status).toBe(200);
    expect(page.json.problems).toEqual([problem]);
    const metrics = await request(local, '/api/runs/bad-line/metrics');
    expect(metrics.status).toBe(200);
    expect((metrics.json.metrics as Array<{ epoch: number }>).map((m) => m.epoch)).toEqual([1, 3]);
    expect(metrics.json.problems).toEqual([problem]);
  });

  it('a sweep with a broken sweep.json', async () => {
    const dir = join(root, 'sweep-broken-12345678');
    writeFixtureRun(dir, { id: 't01', name: 'broken-t01', epochs: 2 });
    writeFixtureRun(dir, { id: 't02', name: 'broken-t02', epochs: 2, runningAt: 1 }).close();
    writeFileSync(join(dir, 'sweep.json'), '{"format":"tunelab.sweep/1","name":');
    const list = await request(local, '/api/sweeps');
    const broken = (list.json.sweeps as Array<Record<string, unknown>>).find(
      (s) => s.id === 'sweep-broken-12345678',
    );
    expect(broken).toMatchObject({ status: 'unreadable', trials: 2, done: 1 });
    expect(broken!.problem).toMatch(/^sweep\.json: not valid JSON \(/);
    const page = await request(local, '/api/sweeps/sweep-broken-12345678');
    expect(page.status).toBe(200);
    expect(page.json.problem).toBe(broken!.problem);
    expect(page.json.trials).toEqual([
      expect.objectContaining({ id: 't01', status: 'done', runId: 'sweep-broken-12345678/t01' }),
      expect.objectContaining({ id: 't02', status: 'pending', runId: 'sweep-broken-12345678/t02' }),
    ]);
  });

  it('an error answer names no absolute path', async () => {
    const writer = writeFixtureRun(root, { id: 'odd-artifacts', name: 'odd', epochs: 1 });
    rmSync(join(writer.dir, 'artifacts'), { recursive: true });
    writeFileSync(join(writer.dir, 'artifacts'), 'a file where a folder belongs');
    const res = await request(local, '/api/runs/odd-artifacts');
    expect(res.status).toBe(500);
    expect(res.json.error).toMatch(/ENOTDIR.*odd-artifacts\/artifacts/);
  });
});

describe('artifact listing and links', () => {
  it('does not report the size of a file outside the runs directory', async () => {
    const writer = writeFixtureRun(root, { id: 'links', name: 'links', epochs: 1 });
    const folder = join(writer.dir, 'artifacts');
    writeFileSync(join(folder, 'real.txt'), '12345');
    symlinkSync(join(dirname(root), 'secret.txt'), join(folder, 'outside.txt'));
    symlinkSync(join(folder, 'real.txt'), join(folder, 'inside.txt'));
    symlinkSync('/etc', join(folder, 'etc'));
    const res = await request(local, '/api/runs/links');
    const listed = res.json.artifacts as Array<{ name: string; bytes: number }>;
    expect(listed.map((a) => [a.name, a.bytes])).toEqual([
      ['inside.txt', 5],
      ['real.txt', 5],
    ]);
  });
});

describe('a killed writer', () => {
  it('reads as interrupted in the listing and the live view, the moment its process is gone', async () => {
    const id = 'killed-run';
    // A real process writes the run through core's RunWriter, then is killed with SIGKILL.
    const script = `import { RunWriter } from '@tunelab/core/node';
      const w = RunWriter.create(${JSON.stringify(root)}, { id: ${JSON.stringify(id)}, name: 'killed', config: {}, seed: 1, environment: ${JSON.stringify(environment)}, epochs: 3 });
      console.log(w.dir); setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: resolve(import.meta.dirname, '../..'),
    });
    await new Promise<void>((done) =>
      createInterface({ input: child.stdout! }).once('line', () => done()),
    );
    const events = await openEvents(`${local.url}api/runs/${id}/events`);
    try {
      const snapshot = await events.next((e) => e.event === 'snapshot');
      expect(snapshot.data).toMatchObject({
        record: { status: 'running', writer: { pid: child.pid } },
      });
      child.kill('SIGKILL');
      await new Promise((done) => child.on('close', done));
      const record = await events.next((e) => e.event === 'record');
      expect(record.data).toMatchObject({
        record: { status: 'interrupted' },
        statusNote: `its writer (pid ${child.pid} on ${hostname()}) is gone`,
      });
    } finally {
      events.close();
    }
    // The file still says running (the process could not change it); readers do not.
    expect(JSON.parse(readFileSync(join(root, id, 'run.json'), 'utf8')).status).toBe('running');
    const listing = await request(local, '/api/runs');
    expect((listing.json.runs as Array<{ id: string }>).find((r) => r.id === id)).toMatchObject({
      record: { status: 'interrupted' },
      statusNote: `its writer (pid ${child.pid} on ${hostname()}) is gone`,
    });
  });
});
