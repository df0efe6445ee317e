import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { nodeBackendCandidates } from '../backend/candidates.js';
import { selectBackend } from '../backend/select.js';
import { floatTensorFromBytes } from '../ops/bytes-to-float.js';
import { Rng } from '../random/rng.js';
import { BytesToFloatKernel } from './bytes-to-float.js';

// Bytes to float32 times a scale: the wasm kernel (SIMD, sixteen bytes at a time) and the
// JavaScript table give exactly the float32 product byte * fround(scale), for every byte value,
// lengths that are not multiples of 16 or 4, and a view that does not start on a word.
const rng = Rng.fromSeed(9);
const bytes = Uint8Array.from({ length: 3 + 256 + 37 }, (_, i) =>
  i < 256 ? i : rng.nextUint32() & 255,
);
const expected = (view: Uint8Array, scale: number) =>
  Array.from(view, (v) => Math.fround(v * Math.fround(scale)));

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`floatTensorFromBytes on ${backend}`, () => {
    it('selects the backend', async () => {
      await selectBackend({
        candidates: nodeBackendCandidates((s) => import(s)),
        requested: backend,
      });
      expect(tf.getKernel(BytesToFloatKernel, backend) !== undefined).toBe(backend === 'wasm');
    });

    for (const [offset, length] of [
      [0, 256],
      [3, 293],
      [1, 15],
      [0, 1],
    ] as const) {
      it(`converts ${length} bytes from offset ${offset}`, async () => {
        const view = bytes.subarray(offset, offset + length);
        const t = floatTensorFromBytes(view, [length], 1 / 255);
        expect(t.dtype).toBe('float32');
        expect(Array.from(t.dataSync())).toEqual(expected(view, 1 / 255));
        const info = await tf.profile(() => floatTensorFromBytes(view, [length], 1 / 255));
        expect(info.kernelNames.includes(BytesToFloatKernel)).toBe(backend === 'wasm');
        t.dispose();
      });
    }

    it('shapes the result and takes only the bytes the shape needs', () => {
      const t = floatTensorFromBytes(Uint8Array.of(0, 255, 10, 20, 99, 7, 7), [2, 3], 2);
      expect(t.shape).toEqual([2, 3]);
      expect(Array.from(t.dataSync())).toEqual([0, 510, 20, 40, 198, 14]);
    });

    it('refuses too few bytes, naming the shape', () => {
      expect(() => floatTensorFromBytes(new Uint8Array(5), [2, 3], 1)).toThrow(
        /5 bytes for shape \[2,3\]/,
      );
    });
  });
}
