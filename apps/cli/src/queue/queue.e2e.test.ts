import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readRun } from '@tunelab/core/node';
import { parseMetricLines, parseRunRecord } from '@tunelab/core/record';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SweepState } from '../sweep/state.js';
import { createUiApp } from '../ui/app.js';
import { KEY_PREFIX, QUEUE_NAME } from './connection.js';
import { attemptSchema, trialJobId, trialKeys } from './protocol.js';
import { readSnapshot } from './snapshot.js';
import { findRedisServer, startTestRedis, type TestRedis } from './testing/redis-server.js';

const BIN = resolve(import.meta.dirname, '../../dist/bin.js');
const FASHION = process.env.FASHION_MNIST_DIR ?? '/usr/share/datasets/fashion-mnist';
const REDIS = findRedisServer();
// Two workers share this machine's cores with the coordinator: one thread per trial.
const env = { ...process.env, NO_COLOR: '1', TUNELAB_BACKEND: '', TUNELAB_WORKERS: '0' };

/**
 * 6 trials (3 learning rates x 2 and 6 epochs) of a small MLP on 2,000 real Fashion-MNIST
 * images, validated on 700: epochs long enough (a few tenths of a second) to kill a worker
 * between two of them.
 */
function writeExperiment(dir: string, name: string): string {
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
      trainLimit: 2000,
      sweep: {
        axes: {
          lr: [{ 'optimizer.lr': 0.05 }, { 'optimizer.lr': 0.1 }, { 'optimizer.lr': 0.2 }],
          length: [{ epochs: 2 }, { epochs: 6 }],
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
function startWorker(url: string, name: string) {
  const cwd = mkdtempSync(join(tmpdir(), `tunelab-${name}-`));
  const args = ['worker', '--queue', url, '--name', name, '--work-dir', 'scratch'];
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
    });
    afterAll(async () => {
      await stopAll(procs);
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
      const jobIds = ['t01', 't02', 't03', 't04', 't05', 't06'].map(
        (t) => [t, trialJobId(sweepId, t)] as const,
      );

      // Kill w1 once it has uploaded the checkpoint of an early epoch of a 6-epoch trial
      // (the length axis varies fastest: t02, t04, t06).
      const victim = await waitFor(async () => {
        for (const [trial, jobId] of jobIds.filter((_, i) => i % 2 === 1)) {
          const keys = trialKeys(jobId);
          const running = Object.values(await client.hgetall(keys.attempts))
            .map((a) => attemptSchema.parse(JSON.parse(a)))
            .find((a) => a.worker === 'w1' && a.outcome === 'running');
          const snapshot = running ? await readSnapshot(client, keys) : null;
          if (
            snapshot &&
            snapshot.attempt === running!.id &&
            snapshot.epoch >= 1 &&
            snapshot.epoch <= 3
          )
            return { trial, epoch: snapshot.epoch };
        }
        return undefined;
      }, 120_000);
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
    }, 240_000);

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
    }, 240_000);
  },
);
