import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readRun } from '@tunelab/core/node';
import { parseMetricLines, parseRunRecord } from '@tunelab/core/record';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SweepState } from '../sweep/state.js';
import { createUiApp } from '../ui/app.js';
import { KEY_PREFIX, QUEUE_NAME } from './connection.js';
import { trialJobId, trialKeys } from './protocol.js';
import { readSnapshot } from './snapshot.js';
import { findRedisServer, startTestRedis, type TestRedis } from './testing/redis-server.js';

const BIN = resolve(import.meta.dirname, '../../dist/bin.js');
const FASHION = process.env.FASHION_MNIST_DIR ?? '/usr/share/datasets/fashion-mnist';
const REDIS = findRedisServer();
// Two workers share this machine's cores with the coordinator: one thread per trial.
const env = { ...process.env, NO_COLOR: '1', TUNELAB_BACKEND: '', TUNELAB_WORKERS: '0' };

/**
 * 6 trials (3 learning rates x 3 and 6 epochs) of a small MLP on 1,200 real Fashion-MNIST
 * images, validated on 700: epochs long enough (a few tenths of a second) to stop a worker
 * between two of them.
 */
function writeExperiment(dir: string, name: string, sweep?: Record<string, unknown>): string {
  const file = join(dir, `${name}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      name,
      seed: 5,
      data: { dataset: 'fashion-mnist', path: FASHION, split: [0.98, 0.01, 0.01] },
      model: { name: 'mlp2' },
      optimizer: { name: 'sgd', lr: 0.1 },
      epochs: 6,
      batchSize: 50,
      trainLimit: 1200,
      sweep: sweep ?? {
        axes: {
          lr: [{ 'optimizer.lr': 0.05 }, { 'optimizer.lr': 0.1 }, { 'optimizer.lr': 0.2 }],
          length: [{ epochs: 3 }, { epochs: 6 }],
        },
      },
    }),
  );
  return file;
}

/** A tunelab process with its output collected. */
function start(args: string[], cwd: string) {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env });
  const out = { stdout: '', stderr: '' };
  child.stdout!.on('data', (c) => (out.stdout += c));
  child.stderr!.on('data', (c) => (out.stderr += c));
  const exit = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  return { child, out, exit };
}

/** A `tunelab worker` in its own folder (its cwd and scratch folder: nothing is shared). */
function startWorker(url: string, name: string, extra: string[] = []) {
  const cwd = mkdtempSync(join(tmpdir(), `tunelab-${name}-`));
  const args = ['worker', '--queue', url, '--name', name, '--work-dir', 'scratch', ...extra];
  // A killed worker's trial is handed on after about lock-duration + stalled-interval.
  return { cwd, ...start([...args, '--lock-duration', '4000', '--stalled-interval', '1000'], cwd) };
}

const waitFor = async <T>(check: () => Promise<T | undefined> | T | undefined, ms: number) => {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out after ${ms} ms`);
};

/** Epochs of each trial of {@link writeExperiment}'s plan (the length axis varies fastest). */
const TARGETS: Record<string, number> = { t01: 3, t02: 6, t03: 3, t04: 6, t05: 3, t06: 6 };

/**
 * A trial that `worker` is training and has uploaded the checkpoint of an epoch for, with at
 * least two epochs still to go (time to stop the worker mid-trial), or undefined.
 */
async function trainingOn(client: Redis, sweepId: string, worker: string) {
  for (const [trial, target] of Object.entries(TARGETS)) {
    const keys = trialKeys(trialJobId(sweepId, trial));
    const snapshot = await readSnapshot(client, keys);
    if (
      snapshot?.attempt.startsWith(`${worker}#`) &&
      snapshot.epoch >= 1 &&
      snapshot.epoch <= target - 2
    )
      return { trial, epoch: snapshot.epoch };
  }
  return undefined;
}

const stopAll = async (procs: Array<{ child: ChildProcess; exit: Promise<unknown> }>) => {
  for (const p of procs) if (p.child.exitCode === null && !p.child.killed) p.child.kill('SIGTERM');
  await Promise.all(procs.map((p) => p.exit));
};

/** Every key path of a JSON value ('config.optimizer.lr', 'progress.epoch', ...). */
function keyPaths(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keyPaths(v, prefix ? `${prefix}.${k}` : k));
}

/** Metric lines without what depends on the clock. */
const metricsOf = (dir: string) =>
  parseMetricLines(readFileSync(join(dir, 'metrics.jsonl'), 'utf8')).map(({ time: _t, ...m }) =>
    'seconds' in m ? { ...m, seconds: 0 } : m,
  );

const sweepState = (dir: string) =>
  JSON.parse(readFileSync(join(dir, 'sweep.json'), 'utf8')) as SweepState;

describe.skipIf(!REDIS || !existsSync(FASHION))(
  `sweeps on a Redis queue${REDIS ? '' : ' (skipped: redis-server is not installed; apt-get install redis-server)'}`,
  () => {
    let redis: TestRedis;
    let client: Redis;
    const root = mkdtempSync(join(tmpdir(), 'tunelab-queue-'));
    const procs: Array<{ child: ChildProcess; exit: Promise<unknown> }> = [];

    beforeAll(async () => {
      redis = await startTestRedis();
      client = new Redis(redis.url, { maxRetriesPerRequest: null });
      // Redis is restarted in one test: the client reconnects by itself.
      client.on('error', () => undefined);
    });
    // Each test's processes end with it (a failed assertion must not leave a worker to the next).
    afterEach(async () => {
      await stopAll(procs.splice(0));
    });
    afterAll(async () => {
      client?.disconnect();
      await redis?.stop();
    });

    it('runs a 6-trial sweep on two workers, one SIGKILLed mid-trial: its trial resumes on the other; runs as a local sweep writes them', async () => {
      const file = writeExperiment(root, 'qmini');
      // The local sweep the queue's results are compared with.
      const local = start(
        ['sweep', file, '--out', join(root, 'local'), '--parallel', '2', '--json', '--no-report'],
        root,
      );
      expect(await local.exit, local.out.stderr).toBe(0);
      const localDir = JSON.parse(local.out.stdout).sweepDir as string;

      const w1 = startWorker(redis.url, 'w1');
      const w2 = startWorker(redis.url, 'w2');
      const coordinator = start(
        ['sweep', file, '--out', join(root, 'queued'), '--queue', redis.url, '--json'],
        root,
      );
      procs.push(w1, w2, coordinator);
      const sweepId = localDir.split('/').at(-1)!;

      // Kill w1 once it has uploaded the checkpoint of an epoch of a trial, mid-trial.
      const victim = await waitFor(() => trainingOn(client, sweepId, 'w1'), 120_000);
      w1.child.kill('SIGKILL');

      // While the sweep goes on, the dashboard's API shows where each trial is.
      const { app } = createUiApp({ runsDir: join(root, 'queued'), webDir: null });
      const live = await waitFor(async () => {
        const res = await app.request(`/api/sweeps/${sweepId}`, { headers: { host: '127.0.0.1' } });
        const body = (await res.json()) as { trials: SweepState['trials'] };
        return body.trials.some((t) => t.status === 'running' && t.worker?.id === 'w2')
          ? body
          : undefined;
      }, 60_000);
      expect(live.trials.find((t) => t.status === 'running')!.worker!.host).toBeTruthy();

      expect(await coordinator.exit, coordinator.out.stderr).toBe(0);
      const result = JSON.parse(coordinator.out.stdout);
      const dir = result.sweepDir as string;
      // Same plan, same trial ids, same digest as the local sweep.
      expect(dir.split('/').at(-1)).toBe(sweepId);
      expect(result.status).toBe('completed');
      expect(result.trials.map((t: { status: string }) => t.status)).toEqual(Array(6).fill('done'));

      const state = sweepState(dir);
      for (const t of state.trials) {
        const run = join(dir, t.id);
        const record = parseRunRecord(JSON.parse(readFileSync(join(run, 'run.json'), 'utf8')));
        const localRecord = JSON.parse(readFileSync(join(localDir, t.id, 'run.json'), 'utf8'));
        expect(record.status).toBe('completed');
        // The same record, field for field, as the local sweep wrote.
        expect(keyPaths(JSON.parse(readFileSync(join(run, 'run.json'), 'utf8'))).sort()).toEqual(
          keyPaths(localRecord).sort(),
        );
        expect(record.config.file).toBe(join(dir, '.trials', `${t.id}.json`));
        expect(readdirSync(join(run, 'artifacts')).sort()).toEqual(
          readdirSync(join(localDir, t.id, 'artifacts')).sort(),
        );
        // Same seed, same numbers: the resumed trial too (its epochs once each, no duplicate line).
        expect(metricsOf(run)).toEqual(metricsOf(join(localDir, t.id)));
        expect(record.progress.epoch).toBe(t.targetEpochs);
      }

      const killed = state.trials.find((t) => t.id === victim.trial)!;
      expect(killed.attempts!.map((a) => [a.worker, a.outcome])).toEqual([
        ['w1', 'lost'],
        ['w2', 'completed'],
      ]);
      expect(killed.attempts![1]!.fromEpoch).toBeGreaterThanOrEqual(victim.epoch);
      expect(killed.worker!.id).toBe('w2');
      expect(killed.attempts![1]!.backend).toBe(
        readRun(join(dir, killed.id)).record.environment.backend,
      );
      for (const t of state.trials.filter((t) => t.id !== victim.trial))
        expect(t.attempts!.map((a) => a.outcome)).toEqual(['completed']);
      // The coordinator's log of the trial holds both attempts.
      expect(
        readFileSync(join(dir, 'logs', `${killed.id}.log`), 'utf8').match(/^# attempt \d/gm),
      ).toHaveLength(2);

      // The report renders from the collected runs.
      const html = readFileSync(join(dir, 'report.html'), 'utf8');
      expect(html.match(/<svg/g)?.length).toBeGreaterThanOrEqual(2);
      const report = start(['report', dir, '--out', join(root, 'queued-report.html')], root);
      expect(await report.exit, report.out.stderr).toBe(0);
      // The surviving worker kept nothing of the finished trials; it stops on SIGTERM.
      expect(readdirSync(join(w2.cwd, 'scratch', sweepId)).filter((d) => /^t\d+$/.test(d))).toEqual(
        [],
      );
      w2.child.kill('SIGTERM');
      expect(await w2.exit).toBe(0);
    }, 300_000);

    it('restarting the coordinator mid-sweep loses nothing and runs no trial twice', async () => {
      const file = writeExperiment(root, 'qrestart');
      const out = join(root, 'restart');
      const w1 = startWorker(redis.url, 'r1');
      const w2 = startWorker(redis.url, 'r2');
      procs.push(w1, w2);
      const first = start(['sweep', file, '--out', out, '--queue', redis.url], root);
      procs.push(first);
      // Kill it once two trials are collected and others are running.
      await waitFor(
        () =>
          /^t0\d done/m.test(first.out.stdout) &&
          /^t0\d done[\s\S]*^t0\d done/m.test(first.out.stdout)
            ? true
            : undefined,
        120_000,
      );
      first.child.kill('SIGKILL');
      await first.exit;
      const dir = join(out, readdirSync(out)[0]!);
      const doneBefore = sweepState(dir)
        .trials.filter((t) => t.status === 'done')
        .map((t) => t.id);
      expect(doneBefore.length).toBeGreaterThanOrEqual(2);
      const stamps = Object.fromEntries(
        doneBefore.map((id) => [id, readRun(join(dir, id)).record.updatedAt]),
      );

      const again = start(['sweep', file, '--out', out, '--queue', redis.url, '--json'], root);
      procs.push(again);
      expect(await again.exit, again.out.stderr).toBe(0);
      expect(again.out.stderr).toMatch(/resuming sweep/);
      const state = sweepState(dir);
      expect(state.status).toBe('completed');
      // Trials collected before the kill were not touched again.
      for (const id of doneBefore) expect(readRun(join(dir, id)).record.updatedAt).toBe(stamps[id]);
      // One job per trial, each started once; one attempt each; every epoch line once.
      const queue = new Queue(QUEUE_NAME, { connection: client, prefix: KEY_PREFIX });
      for (const t of state.trials) {
        const job = await queue.getJob(trialJobId(dir.split('/').at(-1)!, t.id));
        expect(job?.attemptsStarted).toBe(1);
        expect(t.attempts).toHaveLength(1);
        const epochs = readRun(join(dir, t.id))
          .metrics.filter((m) => m.kind === 'epoch')
          .map((m) => m.epoch);
        expect(epochs).toEqual(Array.from({ length: t.targetEpochs }, (_, i) => i + 1));
      }
      const counts = await queue.getJobCounts(
        'completed',
        'failed',
        'active',
        'waiting',
        'delayed',
      );
      // 6 of this sweep and 6 of the first test's: nothing queued twice.
      expect(counts).toEqual({ completed: 12, failed: 0, active: 0, waiting: 0, delayed: 0 });
      await queue.close();
      await stopAll([w1, w2]);
    }, 300_000);
    it('records a trial that fails in training as failed with its reason, once; retries a failure of the worker a bounded number of times', async () => {
      // t02 freezes all three layers of mlp2: train fails and records why, the same on any worker.
      const file = writeExperiment(root, 'qfail', {
        axes: { model: [{ model: { name: 'mlp2' } }, { model: { name: 'mlp2', freeze: 3 } }] },
      });
      const worker = startWorker(redis.url, 'f1');
      procs.push(worker);
      const sweep = start(
        [
          'sweep',
          file,
          '--out',
          join(root, 'fail'),
          '--queue',
          redis.url,
          '--json',
          '--no-report',
          '--epochs',
          '2',
        ],
        root,
      );
      procs.push(sweep);
      expect(await sweep.exit, sweep.out.stderr).toBe(1);
      const result = JSON.parse(sweep.out.stdout);
      expect(result.status).toBe('failed');
      const [ok, bad] = sweepState(result.sweepDir).trials;
      expect(ok!.status).toBe('done');
      expect(bad!.status).toBe('failed');
      expect(bad!.error).toBe('fit: the model has no trainable parameters (all frozen?)');
      expect(bad!.attempts!.map((a) => [a.outcome, a.error])).toEqual([
        ['failed', 'fit: the model has no trainable parameters (all frozen?)'],
      ]);
      // Its run directory came back too, marked failed.
      expect(readRun(join(result.sweepDir, 't02')).record.status).toBe('failed');
      worker.child.kill('SIGTERM');
      await worker.exit;

      // A worker whose data folder is missing fails before train starts a run: maybe another
      // machine does better, so the trial is tried 3 times (5 s, then 10 s apart), then failed.
      const once = writeExperiment(root, 'qretry', { grid: { 'optimizer.lr': [0.1] } });
      const lost = startWorker(redis.url, 'nodata', ['--data', join(root, 'no-such-folder')]);
      procs.push(lost);
      const retried = start(
        [
          'sweep',
          once,
          '--out',
          join(root, 'retry'),
          '--queue',
          redis.url,
          '--json',
          '--no-report',
        ],
        root,
      );
      procs.push(retried);
      expect(await retried.exit, retried.out.stderr).toBe(1);
      const [trial] = sweepState(JSON.parse(retried.out.stdout).sweepDir).trials;
      expect(trial!.status).toBe('failed');
      expect(trial!.attempts!.map((a) => a.outcome)).toEqual(['failed', 'failed', 'failed']);
      expect(trial!.error).toContain('no-such-folder');
      lost.child.kill('SIGTERM');
      await lost.exit;
    }, 180_000);

    it('goes on through a Redis restart (append-only file) and a worker stopped with SIGTERM, whose trial resumes elsewhere', async () => {
      const file = writeExperiment(root, 'qredis');
      const out = join(root, 'redis-restart');
      const g1 = startWorker(redis.url, 'g1');
      const g2 = startWorker(redis.url, 'g2');
      procs.push(g1, g2);
      const sweep = start(
        ['sweep', file, '--out', out, '--queue', redis.url, '--json', '--no-report'],
        root,
      );
      procs.push(sweep);
      const sweepId = () => readdirSync(out)[0]!;
      // g1 mid-trial with an epoch uploaded: stop it the polite way.
      const handed = await waitFor(
        () =>
          existsSync(out) && readdirSync(out).length
            ? trainingOn(client, sweepId(), 'g1')
            : undefined,
        120_000,
      );
      g1.child.kill('SIGTERM');
      expect(await g1.exit).toBe(0);
      expect(g1.out.stdout).toContain('trials in progress go back to the queue');

      // Redis goes down and comes back from its append-only file while g2 trains.
      await redis.stop();
      await new Promise((r) => setTimeout(r, 1000));
      await redis.start();

      expect(await sweep.exit, sweep.out.stderr).toBe(0);
      const dir = JSON.parse(sweep.out.stdout).sweepDir;
      const state = sweepState(dir);
      expect(state.trials.map((t) => t.status)).toEqual(Array(6).fill('done'));
      const trial = state.trials.find((t) => t.id === handed.trial)!;
      expect(trial.attempts!.map((a) => [a.worker, a.outcome])).toEqual([
        ['g1', 'interrupted'],
        ['g2', 'completed'],
      ]);
      expect(trial.attempts![1]!.fromEpoch).toBeGreaterThanOrEqual(handed.epoch);
      for (const t of state.trials) {
        const epochs = readRun(join(dir, t.id))
          .metrics.filter((m) => m.kind === 'epoch')
          .map((m) => m.epoch);
        expect(epochs).toEqual(Array.from({ length: t.targetEpochs }, (_, i) => i + 1));
      }
      expect(g2.out.stdout).toMatch(/reconnected to Redis/);
      g2.child.kill('SIGTERM');
      await g2.exit;
    }, 180_000);
  },
);
