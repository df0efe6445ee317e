import { describe, expect, it } from 'vitest';
import { type BundleCase, CASES, measure } from '../../scripts/bundle-size.mjs';

describe('what importing tunelab costs a browser bundle (scripts/bundle-size.mjs)', () => {
  it.each(CASES)(
    '$name: within its gzip budget, without what it must not pull in',
    async (c: BundleCase) => {
      const size = await measure(c);
      expect(size.gzipBytes).toBeGreaterThan(0);
      expect(size.gzipBytes).toBeLessThanOrEqual(c.budget);
      for (const forbidden of c.forbidden) {
        expect(size.inputs.filter((input) => input.includes(forbidden))).toEqual([]);
      }
    },
  );

  it('Rng alone is the one file that defines it', async () => {
    const size = await measure(CASES[0]!);
    expect(size.inputs.filter((i) => !i.startsWith('user.js'))).toEqual([
      expect.stringMatching(/packages\/core\/dist\/random\/rng\.js$/),
    ]);
  });

  it('the measure sees a dependency when there is one (layers pulls in tfjs-core when bundled)', async () => {
    const layers = CASES.find((c) => c.name.startsWith('@tunelab/layers'))!;
    const size = await measure({ ...layers, external: [] });
    expect(size.inputs.some((i) => i.includes('@tensorflow/tfjs-core/dist/engine.js'))).toBe(true);
  });
});
