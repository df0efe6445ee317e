import { expect, it } from 'vitest';
import { run } from './hyperparameter-selection.js';
import { hasFashionMnist } from './lib/fashion.js';

it.skipIf(!hasFashionMnist())(
  'hyperparameters chosen on validation, test opened once',
  async () => {
    const r = await run({ reduced: true, log: () => {} });
    expect(r.sizes).toEqual([1_000, 500, 500]);
    // One validation accuracy per epoch: 1 + 2 + 3 epochs.
    expect(r.trials.map((t) => t.valAccuracy.length)).toEqual([1, 2, 3]);
    for (const t of r.trials) {
      // The first epoch with the highest accuracy...
      expect(t.bestEpoch).toBe(t.valAccuracy.indexOf(Math.max(...t.valAccuracy)) + 1);
      // ...whose weights the model kept (restoreBestWeights): validation again agrees.
      expect(t.restoredValAccuracy).toBe(t.bestValAccuracy);
    }
    // That is not just the last epoch: at least one trial peaked before its end (here
    // 2 epochs at lr 0.05: 0.702 then 0.620), so restoring made a difference.
    expect(r.trials.some((t) => t.bestEpoch < t.epochs)).toBe(true);
    // The chosen setting is the one with the highest validation accuracy of any epoch.
    const best = Math.max(...r.trials.flatMap((t) => t.valAccuracy));
    expect(r.trials.find((t) => t.label === r.chosen)!.bestValAccuracy).toBe(best);
    expect(r.testAccuracy).toBeGreaterThan(0.5); // 10 classes: chance is 0.1
    expect(r.secondLook).toBe(
      'SealedTest: the test split was already evaluated; choose on validation data',
    );
  },
);
