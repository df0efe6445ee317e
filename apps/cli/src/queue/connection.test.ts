import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeRedis, connectRedis, parseQueueUrl, redactUrl } from './connection.js';
import {
  findRedisServer,
  makeTestCertificate,
  startTestRedis,
  type TestRedis,
} from './testing/redis-server.js';

const REDIS = findRedisServer();
const BIN = resolve(import.meta.dirname, '../../dist/bin.js');

/** Runs `tunelab worker` against `url` until it says it is taking trials (then SIGTERM) or exits. */
function tryWorker(url: string, env: Record<string, string>) {
  const child = spawn(process.execPath, [BIN, 'worker', '--queue', url, '--name', 'tls-check'], {
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  let output = '';
  const collect = (c: Buffer) => {
    output += c;
    if (output.includes('taking trials') && !child.killed) child.kill('SIGTERM');
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  return new Promise<{ code: number | null; output: string }>((r) =>
    child.on('close', (code) => r({ code, output })),
  );
}

describe('queue URLs', () => {
  it('takes redis:// and rediss:// URLs and names what is wrong with others', () => {
    expect(parseQueueUrl('redis://:pw@host:6379')).toBe('redis://:pw@host:6379');
    expect(parseQueueUrl('rediss://user:pw@host:6380/2')).toBe('rediss://user:pw@host:6380/2');
    expect(() => parseQueueUrl('http://:pw@host:6379')).toThrow(
      '--queue: expected redis:// or rediss:// (TLS), got "http://" in http://:***@host:6379',
    );
    expect(() => parseQueueUrl('lab-server:6379')).toThrow(/expected redis:\/\/ or rediss:\/\//);
    expect(() => parseQueueUrl('not a url')).toThrow('expected a Redis URL like');
  });

  it('never shows the password', () => {
    expect(redactUrl('redis://:s3cret@host:6379')).toBe('redis://:***@host:6379');
    expect(redactUrl('rediss://me:s3cret@host:6380/1')).toBe('rediss://me:***@host:6380/1');
    expect(redactUrl('redis://host:6379')).toBe('redis://host:6379');
  });
});

describe.skipIf(!REDIS)(
  `connecting${REDIS ? '' : ' (skipped: redis-server is not installed; apt-get install redis-server)'}`,
  () => {
    let server: TestRedis;
    beforeAll(async () => {
      server = await startTestRedis('blob-secret');
    });
    afterAll(async () => {
      await server?.stop();
    });

    it('connects with the password, and refuses a wrong one or a closed port in one clear line', async () => {
      const redis = await connectRedis(server.url);
      expect(await redis.ping()).toBe('PONG');
      closeRedis(redis);
      const wrong = server.url.replace('blob-secret', 'nope');
      await expect(connectRedis(wrong, { readyTimeoutMs: 3000 })).rejects.toThrow(
        new RegExp(
          `cannot use Redis at redis://:\\*\\*\\*@127.0.0.1:${server.port}/?: .*(WRONGPASS|invalid).*check the password`,
        ),
      );
      const none = `redis://:x@127.0.0.1:${server.port + 1}`;
      // Nothing listens there (redis-server took `port`; the one after is free in practice).
      await expect(connectRedis(none, { readyTimeoutMs: 1500 })).rejects.toThrow(
        /cannot use Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+\/?: .*is redis-server running there/,
      );
    });
  },
);

const TLS = REDIS ? makeTestCertificate() : null;

describe.skipIf(!TLS)(
  `rediss:// (TLS)${TLS ? '' : ' (skipped: redis-server or openssl is not installed)'}`,
  () => {
    let server: TestRedis;
    beforeAll(async () => {
      server = await startTestRedis('tls-secret', TLS!);
    });
    afterAll(async () => {
      await server?.stop();
    });

    it('connects over TLS to a server whose CA it trusts, and says what to do when it does not', async () => {
      expect(server.url).toMatch(/^rediss:\/\/:tls-secret@localhost:\d+$/);
      const trusted = await tryWorker(server.url, { NODE_EXTRA_CA_CERTS: TLS!.cert });
      expect(trusted.output).toContain(
        `worker tls-check: taking trials from rediss://:***@localhost:${server.port}`,
      );
      expect(trusted.code).toBe(0);
      const untrusted = await tryWorker(server.url, {});
      expect(untrusted.code).toBe(1);
      expect(untrusted.output).toMatch(
        /error: cannot use Redis at rediss:\/\/:\*\*\*@localhost:\d+: .*certificate.*point NODE_EXTRA_CA_CERTS at the CA file/,
      );
    });
  },
);
