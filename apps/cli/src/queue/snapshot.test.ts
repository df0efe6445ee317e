import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeRedis, connectRedis } from './connection.js';
import { trialKeys } from './protocol.js';
import { checkPath, FencedError, readSnapshot, writeSnapshot } from './snapshot.js';
import { findRedisServer, startTestRedis, type TestRedis } from './testing/redis-server.js';

const REDIS = findRedisServer();

describe.skipIf(!REDIS)(
  `snapshots in Redis${REDIS ? '' : ' (skipped: redis-server is not installed; apt-get install redis-server)'}`,
  () => {
    let server: TestRedis;
    let redis: Redis;
    beforeAll(async () => {
      server = await startTestRedis();
      redis = await connectRedis(server.url);
    });
    afterAll(async () => {
      if (redis) closeRedis(redis);
      await server?.stop();
    });

    it('lets only the newest attempt replace a snapshot, and keeps only its blobs', async () => {
      const keys = trialKeys('blob-test.t02');
      const files = (text: string) => [
        { path: 't02/run.json', bytes: Buffer.from(text) },
        { path: 'logs/t02.log', bytes: Buffer.from('same log') },
      ];
      const first = await redis.incr(keys.fence);
      const meta = { seq: 1, attempt: 'w1#1', final: false, epoch: 1 };
      await writeSnapshot(redis, keys, files('epoch 1'), meta, first);
      const second = await redis.incr(keys.fence);
      // The first attempt lost the trial: its write is refused, the snapshot is unchanged.
      await expect(
        writeSnapshot(redis, keys, files('epoch 2 of w1'), { ...meta, seq: 2 }, first),
      ).rejects.toBeInstanceOf(FencedError);
      expect((await readSnapshot(redis, keys))!.seq).toBe(1);
      const latest = await writeSnapshot(
        redis,
        keys,
        files('epoch 2'),
        { ...meta, seq: 2, attempt: 'w2#2' },
        second,
      );
      expect((await readSnapshot(redis, keys))!.attempt).toBe('w2#2');
      // The stale run.json blobs are gone; the unchanged log was stored once.
      expect((await redis.smembers(keys.blobs)).sort()).toEqual(
        latest.files.map((f) => f.sha256).sort(),
      );
    });

    it('refuses snapshot paths outside the trial', () => {
      expect(checkPath('t01', 't01/artifacts/model.safetensors')).toBe(
        't01/artifacts/model.safetensors',
      );
      expect(checkPath('t01', 'logs/t01.log')).toBe('logs/t01.log');
      for (const bad of [
        't02/run.json',
        '../t01/run.json',
        't01/../sweep.json',
        '/etc/passwd',
        'sweep.json',
        'logs/t02.log',
      ])
        expect(() => checkPath('t01', bad)).toThrow(`refusing file "${bad}"`);
    });
  },
);
