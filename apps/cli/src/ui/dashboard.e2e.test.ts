import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SweepState } from '../sweep/state.js';
import { startUiServer, type UiServer } from './server.js';
import { collectErrors, hasChromium, launchChromium, screenshot } from './testing/browser.js';
import { createFixtureRuns, epochLine, SWEEP_ID, writeFixtureRun } from './testing/fixture-runs.js';
import { findWebDir } from './web-dir.js';

const webDir = findWebDir();
const ALPHA = '20261101-100000-alpha-aaaa';

/** Points Vega drew in the charts under `selector` (line charts with a point per value). */
const points = (page: Page, selector: string) =>
  page.locator(`${selector} svg g.mark-symbol.role-mark path`).count();

describe.skipIf(!hasChromium || !webDir)(
  'dashboard in Chromium over a fixture runs directory',
  () => {
    let root: string;
    let server: UiServer;
    let browser: Browser;
    let page: Page;
    let errors: string[];

    beforeAll(async () => {
      root = createFixtureRuns();
      server = await startUiServer({ runsDir: root, webDir, port: 0, pollMs: 100 });
      browser = await launchChromium();
      page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      errors = collectErrors(page);
    });

    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    const open = async (hash: string, ready: string) => {
      await page.goto(`${server.url}${hash}`);
      await page.waitForSelector(`body[data-ready="${ready}"]`);
    };

    it('lists the runs; filters by model and sorts by validation accuracy', async () => {
      await open('#/runs', 'runs');
      const rows = page.locator('table.runs tbody tr');
      expect(await rows.count()).toBe(6);
      expect(await page.locator('#problems li').count()).toBe(1);
      expect(await page.locator('table.sweeps tbody tr').count()).toBe(1);
      await page.selectOption('#filter-model', 'cnn4');
      expect(await rows.count()).toBe(3);
      await page.selectOption('#filter-model', '');
      await page.fill('#search', 'baseline');
      expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-run')))).toEqual(
        [ALPHA],
      );
      await page.fill('#search', '');
      // Highest final validation accuracy first: the fast learners (rate 3, then 2 ...).
      await page.click('th[data-sort="final:valAccuracy"]');
      const order = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-run')));
      expect(order[0]).toBe(`${SWEEP_ID}/t04`);
      expect(order.at(-1)).toBe(`${SWEEP_ID}/t01`);
      await screenshot(page, 'runs');
    });

    it('shows a run: curves with a point per epoch and split, model summary, confusion matrix', async () => {
      await open(`#/run/${ALPHA}`, 'run');
      // 5 epochs x (train, validation) x (loss, accuracy).
      await expect.poll(() => points(page, '#curves')).toBe(20);
      // The model summary has its 3 layers and a totals row; the confusion matrix 10 x 10 cells.
      expect(await page.locator('#summary table tbody tr').count()).toBe(4);
      await expect
        .poll(() => page.locator('#confusion svg g.mark-rect.role-mark path').count())
        .toBe(100);
      expect(await page.locator('#artifacts li').count()).toBe(2);
      expect(await page.textContent('#environment')).toContain('wasm');
      expect(await page.textContent('#config')).toContain('"optimizer"');
      await screenshot(page, 'run');
    });

    it('compares runs: curves overlaid, one line per run and split', async () => {
      await open(`#/compare?run=${ALPHA}&run=20261101-110000-beta-bbbb`, 'compare');
      // (5 + 3) epochs x 2 splits x 2 panels.
      await expect.poll(() => points(page, '#overlay')).toBe(32);
      expect(await page.locator('#overlay svg g.mark-line.role-mark path').count()).toBe(8);
      expect(await page.locator('#compare-table tbody tr').count()).toBe(2);
      await screenshot(page, 'compare');
    });

    it('shows a sweep: leaderboard by best validation accuracy with best epochs, parallel coordinates, curve grid', async () => {
      await open(`#/sweep/${SWEEP_ID}`, 'sweep');
      const trials = await page
        .locator('table.leaderboard tbody tr')
        .evaluateAll((trs) =>
          trs.map((tr) => [
            tr.getAttribute('data-trial'),
            tr.querySelector('.best-epoch')!.textContent,
          ]),
        );
      // Accuracy rises every epoch in the fixture, so each trial peaks at its last (4th) epoch.
      expect(trials).toEqual([
        ['t04', '4'],
        ['t03', '4'],
        ['t02', '4'],
        ['t01', '4'],
      ]);
      expect(await page.locator('table.leaderboard tr.selected').getAttribute('data-trial')).toBe(
        't04',
      );
      // One line per trial across the hyperparameter axes.
      await expect
        .poll(() => page.locator('#parallel svg g.mark-line.role-mark path').count())
        .toBe(4);
      // 4 trials x 4 epochs x 2 splits.
      await expect.poll(() => points(page, '#grid')).toBe(32);
      // Each cell carries its trial's own title (explicit sweep trials).
      const texts = await page.locator('#grid svg text').allTextContents();
      for (const title of ['4 epochs, lr 0.01', '4 epochs, lr 0.001'])
        expect(texts.filter((t) => t === title)).toHaveLength(2);
      await screenshot(page, 'sweep');
    });

    it('shows a run that is being written and updates it live', async () => {
      await open('#/runs', 'runs');
      const writer = writeFixtureRun(root, {
        id: '20261102-080000-live-dddd',
        name: 'live',
        epochs: 4,
        runningAt: 1,
      });
      const row = page.locator('tr[data-run="20261102-080000-live-dddd"]');
      await row.waitFor({ timeout: 10_000 });
      expect(await row.locator('.badge').textContent()).toBe('running');
      await row.locator('a').click();
      await page.waitForSelector('body[data-ready="run"]');
      await expect.poll(() => points(page, '#curves')).toBe(4);
      for (const epoch of [2, 3]) {
        writer.appendMetrics(epochLine(epoch));
        writer.update({ progress: { epoch, epochs: 4, step: epoch * 100 } });
        await expect.poll(() => points(page, '#curves'), { timeout: 10_000 }).toBe(4 * epoch);
        await expect.poll(() => page.textContent('#progress')).toContain(`epoch ${epoch} of 4`);
      }
      writer.finish('completed');
      await expect.poll(() => page.textContent('#run-header .badge')).toBe('completed');
      await screenshot(page, 'run-live');
    });

    it('follows a sweep queued on workers: waiting, then running on a worker with its epoch', async () => {
      // sweep.json as `tunelab sweep --queue` writes it before any trial has a run directory.
      const dir = join(root, 'sweep-queued-1a2b3c4d');
      mkdirSync(dir);
      const trial = (id: string): SweepState['trials'][number] => ({
        id,
        label: `lr=${id}`,
        axes: { lr: id },
        overrides: {},
        status: 'queued',
        targetEpochs: 3,
      });
      const state: SweepState = {
        format: 'tunelab.sweep/1',
        name: 'queued',
        file: '/examples/queued.json',
        digest: '1a2b3c4d',
        createdAt: '2026-11-03T10:00:00.000Z',
        updatedAt: '2026-11-03T10:00:00.000Z',
        status: 'running',
        metric: 'valAccuracy',
        mode: 'max',
        rungs: null,
        trials: [trial('t01'), trial('t02')],
      };
      writeFileSync(join(dir, 'sweep.json'), JSON.stringify(state));
      await open('#/runs', 'runs');
      await page.locator('tr[data-sweep="sweep-queued-1a2b3c4d"]').waitFor({ timeout: 10_000 });
      await open('#/sweep/sweep-queued-1a2b3c4d', 'sweep');
      const cell = page.locator('tr[data-trial="t01"] td:has(.badge)');
      expect(await cell.textContent()).toBe('queuedwaiting for a worker');
      // A worker takes t01 and uploads its first epoch: the page follows.
      state.trials[0] = {
        ...state.trials[0]!,
        status: 'running',
        epoch: 1,
        worker: { id: 'w1', host: 'lab-1', backend: 'wasm' },
        attempts: [
          {
            id: 'w1#1',
            job: 'sweep-queued-1a2b3c4d.t01',
            number: 1,
            worker: 'w1',
            host: 'lab-1',
            backend: 'wasm',
            fromEpoch: 0,
            startedAt: '2026-11-03T10:00:01.000Z',
            outcome: 'running',
          },
        ],
      };
      state.updatedAt = '2026-11-03T10:00:02.000Z';
      writeFileSync(join(dir, 'sweep.json'), JSON.stringify(state));
      await expect
        .poll(() => cell.textContent(), { timeout: 10_000 })
        .toBe('runningon w1 (lab-1, wasm) · epoch 1/3');
      await screenshot(page, 'sweep-queued');
    });

    it('raised no errors in the page', () => {
      expect(errors).toEqual([]);
    });
  },
);
