import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { checkRunDirectory } from '@tunelab/core/node';
import { expect, it } from 'vitest';
import { run } from './design-a-cnn.js';
import { hasFashionMnist } from './lib/fashion.js';

it.skipIf(!hasFashionMnist())(
  'design a CNN: 8 designs swept on Fashion-MNIST, each a complete run, ranked by the report',
  async () => {
    const r = await run({ reduced: true, log: () => {} });
    // 2 filter settings x 2 kernel sizes x batch norm or not.
    expect(r.trials).toHaveLength(8);
    expect(r.status).toBe('completed');
    expect(r.trials.every((t) => t.status === 'done')).toBe(true);
    const designs = r.ranking.map((t) => `${t.filters} ${t.kernel} ${t.batchNorm}`).sort();
    expect(designs).toEqual([
      '16-32 3x3 no',
      '16-32 3x3 yes',
      '16-32 5x5 no',
      '16-32 5x5 yes',
      '8-16 3x3 no',
      '8-16 3x3 yes',
      '8-16 5x5 no',
      '8-16 5x5 yes',
    ]);
    // Ranked 1 to 8, best validation accuracy first.
    expect(r.ranking.map((t) => t.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const accuracies = r.ranking.map((t) => t.bestValAccuracy!);
    expect(accuracies).toEqual([...accuracies].sort((a, b) => b - a));
    // The report's winner is the sweep's selection; even 1 epoch of 2,000 images is far above chance (0.1).
    expect(r.selection?.trial).toBe(r.ranking[0]!.trial);
    expect(r.selection?.value).toBeCloseTo(accuracies[0]!, 4);
    expect(accuracies[0]).toBeGreaterThan(0.6);
    // Every trial is a run directory that passes the record contract.
    for (const t of r.trials)
      expect(checkRunDirectory(join(r.sweepDir, t.id)).problems).toEqual([]);
    expect(existsSync(join(r.sweepDir, 'report.html'))).toBe(true);
  },
  600_000,
);
