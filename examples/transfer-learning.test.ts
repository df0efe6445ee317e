import { expect, it } from 'vitest';
import { hasFashionMnist } from './lib/fashion.js';
import { run } from './transfer-learning.js';

it.skipIf(!hasFashionMnist())(
  'transfer learning: frozen parameters, counted and unchanged',
  async () => {
    const r = await run({ reduced: true, log: () => {} });
    expect(r.sizes).toEqual([1_000, 200, 500]);
    // By hand: conv1 3*3*1*8 + 8 = 80, conv2 3*3*8*16 + 16 = 1,168 (backbone 1,248);
    // head 7*7*16 * 5 + 5 = 3,925.
    expect(r.results.featureExtraction).toMatchObject({ trainable: 3_925, frozen: 1_248 });
    expect(r.results.fineTuning).toMatchObject({ trainable: 1_168 + 3_925, frozen: 80 });
    expect(r.results.fromScratch).toMatchObject({ trainable: 1_248 + 3_925, frozen: 0 });
    // Frozen weights end exactly where they started; trained ones move.
    expect(r.results.featureExtraction!.firstConvChange).toBe(0);
    expect(r.results.fineTuning!.firstConvChange).toBe(0);
    expect(r.results.fromScratch!.firstConvChange).toBeGreaterThan(0);
    // Pretrained features beat chance (1 in 5) on classes they never saw.
    expect(r.results.featureExtraction!.accuracy).toBeGreaterThan(0.4);
    expect(r.results.fineTuning!.accuracy).toBeGreaterThan(0.4);
  },
);
