import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeSafetensors, Rng } from '@tunelab/core';
import { currentStatus, isProcessAlive, readRun } from '@tunelab/core/node';
import { encodeIdx } from '@tunelab/datasets';
import { readIdxFile } from '@tunelab/datasets/node';
import { describe, expect, it } from 'vitest';
import { readSweepState } from './sweep/state.js';
import { BIN, env, FASHION, filesBelow, temp, tensorValues } from './testing/cli.js';

// Kills `tunelab train` and `tunelab sweep` at 20 seeded random moments each, with SIGKILL or
// SIGINT, resuming after every kill, and checks after each: every file whole (safetensors
// parse with all their offsets, run.json / sweep.json validate), statuses true (nothing reads
// 'running' once its process is gone, nothing 'failed'), and at the end the weights of an
// uninterrupted run, bit for bit. A few hundred real Fashion-MNIST images keep each process
// to a couple of seconds.

const KILLS = 20;

/** 400 training and 100 test images of the real Fashion-MNIST, as an IDX folder. */
function smallFashion(): string {
  const dir = temp('fashion-small');
  for (const [part, count] of [
    ['train', 400],
    ['t10k', 100],
  ] as const) {
    const images = readIdxFile(join(FASHION, `${part}-images-idx3-ubyte.gz`));
    const labels = readIdxFile(join(FASHION, `${part}-labels-idx1-ubyte.gz`));
    writeFileSync(
      join(dir, `${part}-images-idx3-ubyte`),
      encodeIdx({
        dtype: 'uint8',
        shape: [count, 28, 28],
        data: images.data.subarray(0, count * 784),
      }),
    );
    writeFileSync(
      join(dir, `${part}-labels-idx1-ubyte`),
      encodeIdx({ dtype: 'uint8', shape: [count], data: labels.data.subarray(0, count) }),
    );
  }
  return dir;
}

/** An mlp experiment over `data`: 3 epochs of 8 batches; with `sweep`, two learning rates. */
function experimentFile(dir: string, data: string, sweep: boolean): string {
  const file = join(dir, sweep ? 'sweep.json' : 'train.json');
  writeFileSync(
    file,
    JSON.stringify({
      name: sweep ? 'faults-sweep' : 'faults',
      seed: 14,
      data: { dataset: 'fashion-mnist', path: data },
      model: { name: 'mlp' },
      optimizer: { name: 'adam', lr: 0.003 },
      epochs: 3,
      batchSize: 40,
      ...(sweep
        ? {
            sweep: {
              axes: { lr: [{ 'optimizer.lr': 0.003 }, { 'optimizer.lr': 0.001 }] },
              parallel: 2,
            },
          }
        : {}),
    }),
  );
  return file;
}

/** What one process did: its exit, its duration, and whether the signal reached it alive. */
interface Outcome {
  code: number | null;
  signal: string | null;
  ms: number;
  stderr: string;
  killed: boolean;
}

/** Runs `tunelab <args>`; with `kill`, sends its signal after its delay (if still running). */
function run(args: string[], kill?: { afterMs: number; signal: NodeJS.Signals }): Promise<Outcome> {
  const started = Date.now();
  // One thread per training process: the same arithmetic on any machine.
  const threads = args[0] === 'train' ? ['--workers', '0'] : [];
  const child = spawn(process.execPath, [BIN, ...args, ...threads], { env });
  let stderr = '';
  let killed = false;
  child.stderr.on('data', (c) => (stderr += c));
  child.stdout.resume();
  const timer = kill
    ? setTimeout(() => {
        killed = child.exitCode === null && child.signalCode === null;
        child.kill(kill.signal);
      }, kill.afterMs)
    : undefined;
  return new Promise((done) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, ms: Date.now() - started, stderr, killed });
    }),
  );
}

/**
 * Waits until the workers of a killed sweep are gone: no process whose arguments name a path
 * below `dir` (a trial's train names its sweep folder; it may not have written its run.json yet
 * when the sweep dies), and no run below `dir` still `running` under a live writer.
 */
async function writersGone(dir: string): Promise<void> {
  const live = () =>
    processesNaming(dir).length > 0 ||
    runDirs(dir).some((d) => {
      const w = readRun(d).record.writer;
      return readRun(d).record.status === 'running' && w !== undefined && isProcessAlive(w.pid);
    });
  for (const end = Date.now() + 60_000; live() && Date.now() < end; )
    await new Promise((r) => setTimeout(r, 100));
  expect(live(), `still running: ${processesNaming(dir).join(', ')}`).toBe(false);
}

/** Other processes (Linux /proc) with an argument at or below `dir`. */
function processesNaming(dir: string): number[] {
  if (!existsSync('/proc/self/cmdline')) return [];
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (args.some((a) => a === dir || a.startsWith(`${dir}/`))) pids.push(pid);
    } catch {
      // Gone between the listing and the read.
    }
  }
  return pids;
}

/** Folders below `dir` holding a run.json. */
function runDirs(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return filesBelow(dir)
    .filter((f) => f.endsWith('run.json'))
    .map((f) => join(dir, f, '..'));
}

/**
 * Every file whole and every status true: each safetensors decodes (header and every tensor's
 * offsets), each run.json and sweep.json validates, metrics.jsonl parses; no run reads
 * 'running' or 'failed'; a completed run has its weights.
 */
function checkFiles(dir: string, label: string): void {
  if (!existsSync(dir)) return;
  for (const file of filesBelow(dir).filter((f) => f.endsWith('.safetensors'))) {
    const path = join(dir, file);
    expect(() => decodeSafetensors(readFileSync(path), path), `${label}: ${file}`).not.toThrow();
  }
  for (const runDir of runDirs(dir)) {
    const r = readRun(runDir); // validates run.json and metrics.jsonl
    expect(r.status, `${label}: ${runDir} ${r.statusNote ?? ''}`).not.toBe('running');
    expect(r.status, `${label}: ${r.record.error?.message}`).not.toBe('failed');
    if (r.record.status === 'completed') {
      expect(existsSync(join(runDir, 'artifacts', 'model.safetensors'))).toBe(true);
      expect(r.record.progress.epoch).toBe(3);
    }
  }
  for (const sweepDir of readdirSync(dir).filter((d) => d.startsWith('sweep-'))) {
    const state = readSweepState(join(dir, sweepDir));
    if (state) expect(currentStatus(state).status, `${label}: sweep.json`).not.toBe('running');
  }
}

/**
 * Kill moments and signals drawn from a fixed seed: the same plan on every machine and every
 * run of the test (where in the program a moment lands still depends on the machine's speed).
 */
function killPlan(seed: string, maxMs: number): Array<{ afterMs: number; signal: NodeJS.Signals }> {
  const rng = Rng.fromSeed(14).fork(seed);
  return Array.from({ length: 3 * KILLS }, () => ({
    afterMs: Math.round(rng.uniform(0, maxMs)),
    signal: rng.float() < 0.5 ? 'SIGKILL' : 'SIGINT',
  }));
}

/** "SIGINT 812 ms: interrupted after epoch 1" for the summary line. */
function describeRun(dir: string, kill: { afterMs: number; signal: string }): string {
  if (!existsSync(join(dir, 'run.json'))) return `${kill.signal} ${kill.afterMs} ms: no run.json`;
  const r = readRun(dir);
  return `${kill.signal} ${kill.afterMs} ms: ${r.status} after epoch ${r.record.progress.epoch}`;
}

describe.skipIf(!existsSync(FASHION))(
  'fault injection: 20 kills each, then resume to the same weights',
  () => {
    const data = smallFashion();

    it('tunelab train', async () => {
      const base = temp('faults-train');
      const file = experimentFile(base, data, false);
      const reference = join(base, 'reference');
      const full = await run(['train', file, '--out', reference, '--run-id', 'r']);
      expect(full.code, full.stderr).toBe(0);
      const expected = tensorValues(join(reference, 'r', 'artifacts', 'model.safetensors'));

      // One run killed and resumed until it completes, then the next, until 20 kills landed.
      const out = join(base, 'killed');
      let n = 1;
      let kills = 0;
      const seen: string[] = [];
      const finished = (dir: string) => {
        checkFiles(out, `end of ${dir}`);
        expect(readRun(dir).record.status).toBe('completed');
        expect(tensorValues(join(dir, 'artifacts', 'model.safetensors'))).toEqual(expected);
        n++;
      };
      for (const kill of killPlan('train', full.ms)) {
        if (kills === KILLS) break;
        const dir = join(out, `r${n}`);
        const args = existsSync(join(dir, 'run.json'))
          ? ['train', '--resume', dir]
          : ['train', file, '--out', out, '--run-id', `r${n}`];
        const result = await run(args, kill);
        if (result.killed) kills++;
        // Ctrl-C handled: the process itself wrote the status.
        if (result.code === 130) expect(readRun(dir).record.status).toBe('interrupted');
        checkFiles(out, `kill ${kills} (${kill.signal} at ${kill.afterMs} ms)`);
        seen.push(describeRun(dir, kill));
        if (!result.killed) expect(result.code, result.stderr).toBe(0);
        if (existsSync(join(dir, 'run.json')) && readRun(dir).record.status === 'completed')
          finished(dir);
      }
      expect(kills).toBe(KILLS);
      const last = join(out, `r${n}`);
      if (existsSync(join(last, 'run.json'))) {
        const end = await run(['train', '--resume', last]);
        expect(end.code, end.stderr).toBe(0);
        finished(last);
      }
      console.log(`train: ${n - 1} runs completed through ${kills} kills: ${seen.join('; ')}`);
    }, 420_000);

    it('tunelab sweep', async () => {
      const base = temp('faults-sweep');
      const file = experimentFile(base, data, true);
      const reference = join(base, 'reference');
      mkdirSync(reference);
      const full = await run(['sweep', file, '--out', reference, '--no-report']);
      expect(full.code, full.stderr).toBe(0);
      const [referenceDir] = readdirSync(reference);
      const expected = ['t01', 't02'].map((t) =>
        tensorValues(join(reference, referenceDir!, t, 'artifacts', 'model.safetensors')),
      );

      // One sweep killed and re-run until it completes, then the next, until 20 kills landed.
      let n = 1;
      let kills = 0;
      const seen: string[] = [];
      const finished = (out: string) => {
        checkFiles(out, `end of ${out}`);
        const [sweepDir] = readdirSync(out);
        expect(readSweepState(join(out, sweepDir!))!.status).toBe('completed');
        for (const [i, t] of ['t01', 't02'].entries()) {
          const weights = join(out, sweepDir!, t, 'artifacts', 'model.safetensors');
          expect(tensorValues(weights)).toEqual(expected[i]);
        }
        n++;
      };
      for (const kill of killPlan('sweep', full.ms)) {
        if (kills === KILLS) break;
        const out = join(base, `killed-${n}`);
        const result = await run(['sweep', file, '--out', out, '--no-report'], kill);
        if (result.killed) kills++;
        // The workers of a killed sweep stop after their batch; then nothing may be half-written.
        await writersGone(out);
        checkFiles(out, `kill ${kills} (${kill.signal} at ${kill.afterMs} ms)`);
        const [sweepDir] = existsSync(out) ? readdirSync(out) : [];
        const state = sweepDir ? readSweepState(join(out, sweepDir)) : null;
        if (result.code === 130) expect(state!.status).toBe('interrupted');
        seen.push(
          `${kill.signal} ${kill.afterMs} ms: ${state ? `${currentStatus(state).status}, ${state.trials.map((t) => `${t.id} ${t.status}`).join(' ')}` : 'no sweep.json'}`,
        );
        if (!result.killed) expect(result.code, result.stderr).toBe(0);
        if (state && readSweepState(join(out, sweepDir!))!.status === 'completed') finished(out);
      }
      expect(kills).toBe(KILLS);
      const last = join(base, `killed-${n}`);
      if (existsSync(last)) {
        const end = await run(['sweep', file, '--out', last, '--no-report']);
        expect(end.code, end.stderr).toBe(0);
        finished(last);
      }
      console.log(`sweep: ${n - 1} sweeps completed through ${kills} kills: ${seen.join('; ')}`);
    }, 420_000);
  },
);
