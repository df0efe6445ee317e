import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { deriveStatus, HEARTBEAT_MS, STALE_AFTER_MS } from '../record/liveness.js';
import { currentStatus, isProcessAlive } from './liveness.js';
import { readRun } from './run-reader.js';
import { RunWriter } from './run-writer.js';

const environment = {
  backend: 'cpu',
  backendAttempts: [],
  versions: {},
  platform: 'linux',
  arch: 'x64',
  cpus: 1,
};
const writer = (pid: number, host: string, heartbeatAt: string) => ({ pid, host, heartbeatAt });
/** The pid of a process that has exited (a real one, so no other process has it yet). */
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;

afterEach(() => vi.useRealTimers());

describe('deriveStatus', () => {
  const now = Date.parse('2026-11-23T12:00:00Z');
  const alive = (pid: number) => pid === 10;
  const probe = { host: 'lab-1', isAlive: alive, now };
  it('keeps every status but running, and running with a live writer', () => {
    for (const status of ['completed', 'stopped', 'interrupted', 'failed'] as const)
      expect(
        deriveStatus({ status, writer: writer(99, 'lab-1', '2020-01-01T00:00:00Z') }, probe),
      ).toEqual({ status });
    expect(
      deriveStatus(
        { status: 'running', writer: writer(10, 'lab-1', '2026-11-23T11:59:50Z') },
        probe,
      ),
    ).toEqual({ status: 'running' });
    // No writer recorded (files from before this field): nothing to go on.
    expect(deriveStatus({ status: 'running' }, probe)).toEqual({ status: 'running' });
  });

  it('reads interrupted when the writer on this host is gone, or silent too long anywhere', () => {
    expect(
      deriveStatus(
        { status: 'running', writer: writer(11, 'lab-1', '2026-11-23T11:59:50Z') },
        probe,
      ),
    ).toEqual({
      status: 'interrupted',
      note: 'its writer (pid 11 on lab-1) is gone',
    });
    // Another host: its process table is not ours; the heartbeat decides (5 min).
    const fresh = new Date(now - STALE_AFTER_MS + 1000).toISOString();
    const old = new Date(now - 7 * 60_000).toISOString();
    expect(
      deriveStatus({ status: 'running', writer: writer(11, 'lab-2', fresh) }, probe).status,
    ).toBe('running');
    expect(deriveStatus({ status: 'running', writer: writer(11, 'lab-2', old) }, probe)).toEqual({
      status: 'interrupted',
      note: 'no heartbeat from its writer (pid 11 on lab-2) for 7 min',
    });
    // A live pid that has not written for 7 minutes is another process that reused the pid.
    expect(
      deriveStatus({ status: 'running', writer: writer(10, 'lab-1', old) }, probe).status,
    ).toBe('interrupted');
  });
});

describe('a run directory names its writer', () => {
  it('records pid, host and heartbeat; a killed writer reads interrupted', () => {
    const root = mkdtempSync(join(tmpdir(), 'tunelab-live-'));
    const run = RunWriter.create(root, {
      name: 'live',
      config: {},
      seed: 1,
      environment,
      epochs: 1,
    });
    const record = JSON.parse(readFileSync(join(run.dir, 'run.json'), 'utf8'));
    expect(record.writer).toMatchObject({ pid: process.pid, host: hostname() });
    expect(readRun(run.dir).status).toBe('running');
    run.close();
    // The same file as written by a process that has since died.
    const pid = deadPid();
    expect(isProcessAlive(pid)).toBe(false);
    record.writer.pid = pid;
    writeFileSync(join(run.dir, 'run.json'), JSON.stringify(record));
    const read = readRun(run.dir);
    expect(read.record.status).toBe('running');
    expect(read.status).toBe('interrupted');
    expect(read.statusNote).toBe(`its writer (pid ${pid} on ${hostname()}) is gone`);
    expect(currentStatus(read.record).status).toBe('interrupted');
  });

  it('refreshes the heartbeat while running, and stops once finished', () => {
    vi.useFakeTimers({ now: Date.parse('2026-11-23T12:00:00Z') });
    const root = mkdtempSync(join(tmpdir(), 'tunelab-live-'));
    const run = RunWriter.create(root, {
      name: 'beat',
      config: {},
      seed: 1,
      environment,
      epochs: 1,
    });
    const heartbeat = () =>
      JSON.parse(readFileSync(join(run.dir, 'run.json'), 'utf8')).writer.heartbeatAt;
    expect(heartbeat()).toBe('2026-11-23T12:00:00.000Z');
    vi.advanceTimersByTime(HEARTBEAT_MS + HEARTBEAT_MS / 3);
    expect(Date.parse(heartbeat())).toBeGreaterThanOrEqual(Date.parse('2026-11-23T12:00:30.000Z'));
    run.finish('completed');
    const final = heartbeat();
    vi.advanceTimersByTime(5 * HEARTBEAT_MS);
    expect(heartbeat()).toBe(final);
  });
});
