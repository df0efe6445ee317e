/**
 * Learning-rate schedules, plotted without training (USECASES sections 3 and 5).
 *
 * Every schedule but reduce-on-plateau is a pure function of the update number t, so it can
 * be drawn before any training. Time-based decay lr0 / (1 + decay * t) for several decay
 * values on one chart, then the other shapes: step, exponential, cosine annealing, warm-up.
 * Charts go to examples/output/lr-schedules/.
 *
 *   node --import jiti/register examples/lr-schedules.ts          # 1,500 iterations (1 epoch of 48,000 at batch 32)
 *   node --import jiti/register examples/lr-schedules.ts --full   # 45,000 iterations (30 epochs)
 */
import { iterationsPerEpoch } from '@tunelab/core';
import {
  cosineAnnealing,
  exponentialDecay,
  type ScheduleWithConfig,
  stepDecay,
  timeDecay,
  warmup,
} from '@tunelab/optimizers';
import { scheduleSpec } from '@tunelab/reports';
import { logger, type RunOptions, runWhenMain } from './lib/cli.js';
import { outputDir, writeChart } from './lib/output.js';

/** `schedule.at(t)` at each of `steps`. */
function sample(schedule: ScheduleWithConfig, steps: readonly number[]): number[] {
  return steps.map((t) => schedule.at(t));
}

export async function run(options: RunOptions) {
  const log = logger(options);
  const perEpoch = iterationsPerEpoch(48_000, 32); // 1,500
  const total = options.reduced ? perEpoch : 30 * perEpoch;
  const points = 200;
  const steps = Array.from({ length: points + 1 }, (_, i) => Math.round((i * total) / points));
  const lr0 = 0.1;

  // 1. Time-based decay for four decay values: lr0 / (1 + decay * t).
  const decays = [0, 1e-4, 1e-3, 1e-2];
  const timeSeries = decays.map((decay) => ({
    label: `decay ${decay}`,
    lr: sample(timeDecay({ lr: lr0, decay }), steps),
  }));
  // By hand: after 1,500 updates, 0.1 / (1 + 0.001 * 1500) = 0.1 / 2.5 = 0.04, and with
  // decay 0.01, 0.1 / 16 = 0.00625; at t = 100 with decay 0.01, 0.1 / 2 = 0.05.
  const at1500 = Object.fromEntries(
    decays.map((d) => [d, timeDecay({ lr: lr0, decay: d }).at(1_500)]),
  );
  const halfAt100 = timeDecay({ lr: lr0, decay: 0.01 }).at(100);
  for (const d of decays)
    log(`time decay ${d}: lr at iteration 1,500 = ${at1500[d]!.toPrecision(4)}`);

  // 2. The other shapes over the same iterations.
  const shapes: Array<[string, ScheduleWithConfig]> = [
    ['step (x0.5 per quarter)', stepDecay({ lr: lr0, stepSize: total / 4, gamma: 0.5 })],
    ['exponential (x0.999)', exponentialDecay({ lr: lr0, gamma: 0.999 })],
    ['cosine annealing', cosineAnnealing({ lr: lr0, tMax: total })],
    [
      'warm-up + cosine',
      warmup(cosineAnnealing({ lr: lr0, tMax: total * 0.9 }), { steps: total * 0.1 }),
    ],
  ];
  const shapeSeries = shapes.map(([label, s]) => ({ label, lr: sample(s, steps) }));
  // By hand: cosine annealing is lr0 (1 + cos(pi t / T)) / 2, half of lr0 at t = T / 2;
  // the step schedule has halved twice by the middle: 0.1 * 0.5^2 = 0.025.
  const cosineHalf = cosineAnnealing({ lr: lr0, tMax: total }).at(total / 2);
  const stepHalf = stepDecay({ lr: lr0, stepSize: total / 4, gamma: 0.5 }).at(total / 2);
  log(`cosine annealing at half the run: ${cosineHalf}; step decay: ${stepHalf}`);

  const dir = outputDir('lr-schedules');
  const timeChart = await writeChart(
    dir,
    'time-decay',
    scheduleSpec(steps, timeSeries, { title: `Time-based decay, lr0 = ${lr0}` }),
  );
  const shapesChart = await writeChart(
    dir,
    'shapes',
    scheduleSpec(steps, shapeSeries, { title: 'Other schedules' }),
  );
  log(`charts: ${timeChart.png}, ${shapesChart.png}`);

  return { total, at1500, halfAt100, cosineHalf, stepHalf, charts: [timeChart, shapesChart] };
}

runWhenMain(import.meta.url, run);
