import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkRunDirectory, readRun } from '@tunelab/core/node';
import type { MetricEntry } from '@tunelab/core/record';
import { jsonExperimentSchema } from '@tunelab/experiment';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUiServer, type UiServer } from './server.js';
import { collectErrors, hasChromium, launchChromium, screenshot } from './testing/browser.js';
import { findWebDir } from './web-dir.js';

const webDir = findWebDir();
const FASHION = process.env.FASHION_MNIST_DIR ?? '/usr/share/datasets/fashion-mnist';
const BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));
/** A layer-list experiment both the CLI and the Train page run. */
const SMALL_CNN = fileURLToPath(new URL('../../../../examples/small-cnn.json', import.meta.url));

describe.skipIf(!hasChromium || !webDir || !existsSync(FASHION))(
  'training in the browser on WebGL',
  () => {
    let root: string;
    let server: UiServer;
    let browser: Browser;
    let page: Page;
    let errors: string[];

    beforeAll(async () => {
      root = mkdtempSync(join(tmpdir(), 'tunelab-browser-runs-'));
      // The server finds Fashion-MNIST as `tunelab train` does (here: Debian's copy).
      server = await startUiServer({ runsDir: root, webDir, port: 0, pollMs: 100 });
      browser = await launchChromium();
      page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
      errors = collectErrors(page);
    });

    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    it('trains cnn4 on real Fashion-MNIST for 200 steps to well above chance, and saves the run', async () => {
      await page.goto(`${server.url}#/train`);
      await page.waitForSelector('body[data-ready="train"]');
      // Headless Chromium offers no WebGPU adapter; WebGL runs on SwiftShader.
      expect(await page.textContent('#backend-name')).toBe('webgl');
      expect(await page.inputValue('#dataset')).toBe('fashion-mnist');
      await page.selectOption('#model', 'cnn4');
      await page.selectOption('#optimizer', 'adam');
      await page.fill('#lr', '0.002');
      await page.fill('#batch', '32');
      await page.fill('#epochs', '1');
      await page.fill('#train-limit', '6400'); // 200 steps of 32
      await page.fill('#val-limit', '1000');
      await page.fill('#every', '1600');
      await page.click('#start');
      await page.waitForSelector('#final-val-accuracy', { timeout: 240_000 });
      const accuracy = Number(await page.getAttribute('#final-val-accuracy', 'data-value'));
      // Chance is 0.1 for ten classes.
      expect(accuracy).toBeGreaterThan(0.6);
      // Evaluations after 1,600, 3,200, 4,800 and 6,400 samples drew the live chart.
      // The live chart redraws at most every 250 ms, so its last draw may land after the result.
      await expect.poll(() => page.getAttribute('#live', 'data-evaluations')).toBe('4');
      await expect
        .poll(() => page.locator('#live svg g.mark-symbol.role-mark path').count())
        .toBe(16);
      await screenshot(page, 'train-done');

      await page.click('#save');
      await page.waitForSelector('#saved-link');
      const [id] = readdirSync(root);
      const run = readRun(join(root, id!));
      expect(run.record.status).toBe('completed');
      expect(run.record.environment).toMatchObject({ backend: 'webgl', platform: 'browser' });
      expect(run.record.final?.valAccuracy).toBeCloseTo(accuracy, 10);
      expect(run.record.data).toMatchObject({
        trainExamples: 6400,
        validationExamples: 1000,
        split: { sizes: [56_000, 7_000, 7_000] },
      });
      expect(run.metrics.map((m) => m.kind)).toEqual([
        'evaluation',
        'evaluation',
        'evaluation',
        'evaluation',
        'epoch',
      ]);
      // What every run directory holds, less the PNGs (they need Node).
      expect(run.record.artifacts.map((a) => a.path).sort()).toEqual([
        'artifacts/checkpoint.safetensors',
        'artifacts/confusion-validation.json',
        'artifacts/learning-curve-samples.svg',
        'artifacts/learning-curve.svg',
        'artifacts/model-summary.json',
        'artifacts/model.safetensors',
      ]);
      expect(checkRunDirectory(run.dir).problems).toEqual([]);

      // The saved run opens in the dashboard like any other.
      await page.click('#saved-link');
      await page.waitForSelector('body[data-ready="run"]');
      await expect
        .poll(() => page.locator('#curves svg g.mark-symbol.role-mark path').count())
        .toBe(4);
      await expect
        .poll(() => page.locator('#confusion svg g.mark-rect.role-mark path').count())
        .toBe(100);
      await screenshot(page, 'train-saved-run');
      expect(errors).toEqual([]);
    }, 400_000);

    it('trains the same JSON experiment (a layer list) as tunelab train: both run directories pass the record contract', async () => {
      // The browser: the experiment file opened on the Train page, trained and saved.
      await page.goto(`${server.url}#/train`);
      await page.waitForSelector('body[data-ready="train"]');
      await page.click('#experiment-file summary');
      await page.setInputFiles('#experiment-upload', SMALL_CNN);
      await expect
        .poll(() => page.inputValue('#experiment-json'))
        .toBe(readFileSync(SMALL_CNN, 'utf8'));
      await page.click('#start-json');
      await page.waitForSelector('#final-val-accuracy', { timeout: 240_000 });
      const before = new Set(readdirSync(root));
      await page.click('#save');
      await page.waitForSelector('#saved-link');
      const browserDir = join(root, readdirSync(root).find((d) => !before.has(d))!);

      // The command line: the same file.
      const cliRoot = mkdtempSync(join(tmpdir(), 'tunelab-cli-runs-'));
      const cli = spawnSync(
        process.execPath,
        [BIN, 'train', SMALL_CNN, '--out', cliRoot, '--json', '--workers', '0'],
        { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 300_000 },
      );
      expect(cli.status, cli.stderr).toBe(0);
      const cliDir = (JSON.parse(cli.stdout) as { runDir: string }).runDir;

      const inBrowser = checkRunDirectory(browserDir);
      const onCli = checkRunDirectory(cliDir);
      expect(inBrowser.problems).toEqual([]);
      expect(onCli.problems).toEqual([]);
      const b = inBrowser.record!;
      const c = onCli.record!;
      expect([b.status, c.status]).toEqual(['completed', 'completed']);
      expect(b.environment).toMatchObject({ backend: 'webgl', platform: 'browser' });
      // The same experiment, validated by the same schema (the CLI adds the file it read).
      const { file, ...cliConfig } = c.config;
      expect(file).toBe(SMALL_CNN);
      expect(jsonExperimentSchema.parse(b.config)).toEqual(jsonExperimentSchema.parse(cliConfig));
      // The same split of the same merged parts, the same limits.
      expect(b.data).toMatchObject({
        trainExamples: 3_200,
        validationExamples: 1_000,
        split: {
          sizes: [56_000, 7_000, 7_000],
          fingerprint: (c.data!.split as { fingerprint: string }).fingerprint,
        },
      });
      expect(c.data).toMatchObject({ trainExamples: 3_200, validationExamples: 1_000 });
      // The same files, less the PNGs the browser cannot draw.
      const names = (r: typeof b) => r.artifacts.map((a) => a.path).sort();
      expect(names(b)).toEqual(names(c).filter((p) => !p.endsWith('.png')));
      expect(names(c).filter((p) => p.endsWith('.png'))).toEqual([
        'artifacts/learning-curve-samples.png',
        'artifacts/learning-curve.png',
      ]);
      // The same lines: 2 evaluations (every 1,600 of 3,200 samples), then the epoch.
      const kinds = (m: MetricEntry[]) => m.map((e) => e.kind);
      expect(kinds(inBrowser.metrics)).toEqual(['evaluation', 'evaluation', 'epoch']);
      expect(kinds(onCli.metrics)).toEqual(kinds(inBrowser.metrics));
      // Both learned the task; chance is 0.1.
      expect(b.final?.valAccuracy).toBeGreaterThan(0.6);
      expect(c.final?.valAccuracy).toBeGreaterThan(0.6);
      expect(errors).toEqual([]);
    }, 600_000);

    it('stops when asked, keeping what was learned as an interrupted run', async () => {
      await page.goto(`${server.url}#/train`);
      await page.waitForSelector('body[data-ready="train"]');
      await page.selectOption('#model', 'mlp2');
      await page.fill('#train-limit', '50000');
      await page.fill('#every', '640');
      await page.click('#start');
      await page.waitForSelector('#live[data-evaluations="1"]', { timeout: 120_000 });
      await page.click('#stop');
      await page.waitForSelector('#final-val-accuracy', { timeout: 60_000 });
      expect(await page.textContent('#train-result h3')).toMatch(/ interrupted$/);
      // It stopped after the batch in flight, long before the 1,563 batches of the epoch.
      expect(await page.textContent('#train-result')).toMatch(/after \d{2,3} updates/);
      expect(errors).toEqual([]);
    }, 200_000);
  },
);

describe.skipIf(!hasChromium || !webDir)('dashboard without a server', () => {
  it('opens a runs folder from disk, and a report file', async () => {
    const { createFixtureRuns } = await import('./testing/fixture-runs.js');
    const { serve } = await import('@hono/node-server');
    const { serveStatic } = await import('@hono/node-server/serve-static');
    const { Hono } = await import('hono');
    // Only the built files, as any static host would serve them: no /api.
    const app = new Hono().use('/*', serveStatic({ root: webDir! }));
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    const port = (server.address() as { port: number }).port;
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
      const errors = collectErrors(page);
      await page.goto(`http://127.0.0.1:${port}/`);
      await page.waitForSelector('body[data-ready="open"]');
      expect(await page.textContent('#source')).toContain('no server');
      await page.setInputFiles('#folder', createFixtureRuns());
      await page.waitForSelector('body[data-ready="runs"]');
      expect(await page.locator('table.runs tbody tr').count()).toBe(6);
      await page.click('tr[data-run="20261101-100000-alpha-aaaa"] a');
      await page.waitForSelector('body[data-ready="run"]');
      await expect
        .poll(() => page.locator('#curves svg g.mark-symbol.role-mark path').count())
        .toBe(20);
      await screenshot(page, 'local-run');

      const report = join(mkdtempSync(join(tmpdir(), 'tunelab-report-')), 'report.html');
      writeFileSync(
        report,
        '<!doctype html><title>r</title><h1>My report</h1><svg width="10" height="10"><rect width="10" height="10"/></svg>',
      );
      await page.goto(`http://127.0.0.1:${port}/#/open`);
      await page.waitForSelector('body[data-ready="open"]');
      await page.setInputFiles('#files', report);
      const frame = page.frameLocator('iframe.report');
      expect(await frame.locator('h1').textContent()).toBe('My report');
      // The app asked for /api/info once to find out there is no server.
      expect(errors).toEqual([`HTTP 404 http://127.0.0.1:${port}/api/info`]);
    } finally {
      await browser.close();
      server.close();
    }
  });
});
