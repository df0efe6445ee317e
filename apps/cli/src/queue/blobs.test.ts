import { randomFillSync } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BlobError,
  CHUNK_BYTES,
  dropBlobs,
  getBlob,
  getBlobs,
  putBlob,
  putBlobs,
  sha256,
} from './blobs.js';
import { closeRedis, connectRedis } from './connection.js';
import { trialKeys } from './protocol.js';
import { findRedisServer, startTestRedis, type TestRedis } from './testing/redis-server.js';

const REDIS = findRedisServer();

describe.skipIf(!REDIS)(
  `blobs in Redis${REDIS ? '' : ' (skipped: redis-server is not installed; apt-get install redis-server)'}`,
  () => {
    let server: TestRedis;
    let redis: Redis;
    beforeAll(async () => {
      server = await startTestRedis('blob-secret');
      redis = await connectRedis(server.url);
    });
    afterAll(async () => {
      if (redis) closeRedis(redis);
      await server?.stop();
    });

    it('moves a 45 MB file (ResNet-sized weights) in 1 MiB chunks and checks it on arrival', async () => {
      const keys = trialKeys('blob-test.t01');
      const bytes = randomFillSync(Buffer.alloc(45 * 1024 * 1024 + 123));
      const ref = await putBlob(redis, keys, 't01/artifacts/model.safetensors', bytes);
      expect(ref).toEqual({
        path: 't01/artifacts/model.safetensors',
        size: 47_186_043,
        sha256: sha256(bytes),
      });
      expect(Math.ceil(ref.size / CHUNK_BYTES)).toBe(46);
      const back = await getBlob(redis, keys, ref);
      expect(back.equals(bytes)).toBe(true);
      // No partial upload left behind; the blob is listed for clean-up.
      expect(await redis.keys(`${keys.blob('')}*partial*`)).toEqual([]);
      expect(await redis.smembers(keys.blobs)).toEqual([ref.sha256]);

      // One flipped byte, or a short blob, is refused with the file's name.
      await redis.setrange(keys.blob(ref.sha256), 1_000_000, 'X');
      await expect(getBlob(redis, keys, ref)).rejects.toThrow(
        new RegExp(
          `^t01/artifacts/model.safetensors: received 47186043 bytes with SHA-256 [0-9a-f]{12}, expected 47186043 bytes ${ref.sha256.slice(0, 12)}`,
        ),
      );
      await redis.set(keys.blob(ref.sha256), 'short');
      await expect(getBlob(redis, keys, ref)).rejects.toBeInstanceOf(BlobError);
      await dropBlobs(redis, keys);
      expect(await redis.exists(keys.blob(ref.sha256))).toBe(0);
    });

    it('moves the small files of a snapshot in one round trip each way, checked the same way', async () => {
      const keys = trialKeys('blob-test.t03');
      const files = [
        { path: 't03/run.json', bytes: Buffer.from('{"status":"running"}') },
        { path: 't03/metrics.jsonl', bytes: Buffer.from('') },
        { path: 'logs/t03.log', bytes: Buffer.from('epoch 1/3\n') },
        {
          path: 't03/artifacts/checkpoint.safetensors',
          bytes: randomFillSync(Buffer.alloc(CHUNK_BYTES + 1)),
        },
      ];
      const refs = await putBlobs(redis, keys, files);
      expect(refs.map((r) => [r.path, r.size])).toEqual(
        files.map((f) => [f.path, f.bytes.byteLength]),
      );
      const back = await getBlobs(redis, keys, refs);
      expect(back.map((b, i) => b.equals(files[i]!.bytes))).toEqual([true, true, true, true]);
      await redis.set(keys.blob(refs[0]!.sha256), '{"status":"completed"}');
      await expect(getBlobs(redis, keys, refs)).rejects.toThrow(
        /^t03\/run.json: received 22 bytes with SHA-256 [0-9a-f]{12}, expected 20 bytes/,
      );
      await redis.del(keys.blob(refs[2]!.sha256));
      await expect(getBlobs(redis, keys, refs.slice(1))).rejects.toThrow('logs/t03.log: blob');
    });
  },
);
