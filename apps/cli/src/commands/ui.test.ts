import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { createFixtureRuns } from '../ui/testing/fixture-runs.js';

const BIN = resolve(import.meta.dirname, '../../dist/bin.js');

describe('tunelab ui', () => {
  it('serves the runs directory and the built app on 127.0.0.1, and stops on Ctrl-C', async () => {
    const root = createFixtureRuns();
    const child = spawn(process.execPath, [BIN, 'ui', '--runs', root, '--port', '0'], {
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    // The first stdout line is the URL, for scripts.
    const [url] = await new Promise<string[]>((done) =>
      createInterface({ input: child.stdout }).once('line', (line) => done([line])),
    );
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const runs = (await (await fetch(`${url}api/runs`)).json()) as { runs: unknown[] };
    expect(runs.runs).toHaveLength(6);
    const html = await (await fetch(url!)).text();
    expect(html).toContain('<title>tunelab</title>');
    expect(html).toMatch(/<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js">/);
    child.kill('SIGINT');
    const code = await new Promise((done) => child.on('close', done));
    expect(code).toBe(0);
    expect(stderr).toContain(`tunelab dashboard at ${url}`);
    expect(stderr).not.toContain('not built');
  });

  it('says which option to change when the port is taken', async () => {
    const root = createFixtureRuns();
    const first = spawn(process.execPath, [BIN, 'ui', '--runs', root, '--port', '0']);
    const [url] = await new Promise<string[]>((done) =>
      createInterface({ input: first.stdout }).once('line', (line) => done([line])),
    );
    const port = new URL(url!).port;
    const second = spawn(process.execPath, [BIN, 'ui', '--runs', root, '--port', port]);
    let stderr = '';
    second.stderr.on('data', (c) => (stderr += c));
    const code = await new Promise((done) => second.on('close', done));
    first.kill('SIGINT');
    expect(code).toBe(2);
    expect(stderr).toContain(`port ${port} is in use: pass --port <n> (0 picks a free one)`);
  });
});
