import { existsSync } from 'node:fs';
import { expect, it } from 'vitest';
import { run } from './five-model-sweep.js';
import { hasFashionMnist } from './lib/fashion.js';

it.skipIf(!hasFashionMnist())(
  'five-model sweep: 15 trials, curves and the summary table',
  async () => {
    const r = await run({ reduced: true, log: () => {} });
    // 5 models x 3 settings, the axes of examples/coursework-sweep.ts.
    expect(r.trials).toBe(15);
    expect(r.columns).toEqual(['linear', 'mlp 32-32', 'mlp 256-128', 'cnn 2 conv', 'cnn 3 conv']);
    expect(r.rows).toEqual(['2 epochs, lr 0.05', '4 epochs, lr 0.02', '6 epochs, lr 0.005']);
    // Reduced: 1 epoch of 1,024 images; an evaluation every 512 samples gives 2 per trial.
    expect(r.samplesPerTrial).toEqual(new Array(15).fill(1_024));
    expect(r.evaluationsPerTrial).toEqual(new Array(15).fill(2));
    expect(r.tableRows).toBe(15);
    // No trial's test split was evaluated: the test column is empty (an en dash in Markdown).
    expect(r.testColumn).toEqual(new Array(15).fill(null));
    expect(r.markdown.split('\n')[0]).toBe(
      '| model | setting | best val acc | best epoch | final val acc | epochs | test acc | status |',
    );
    expect(existsSync(r.chart.svg)).toBe(true);
  },
);
