import { z } from 'zod';

const positiveInt = z.number().int().positive();
const nonNegative = z.number().nonnegative();
const per = z
  .enum(['iteration', 'epoch'])
  .default('iteration')
  .describe("What t counts: 'iteration' (updates, default) or 'epoch'.");

/**
 * Validates a learning-rate schedule by name, starting from the optimizer's lr: constant,
 * timeDecay, stepDecay, exponentialDecay, cosineAnnealing, reduceOnPlateau (the factories of
 * this package). `scheduleSchema.parse({ name: 'timeDecay', decay: 1e-3 }).per` is 'iteration'.
 */
export const scheduleSchema = z
  .discriminatedUnion('name', [
    z.strictObject({
      name: z.literal('constant').describe('lr = optimizer.lr throughout.'),
      per,
    }),
    z.strictObject({
      name: z.literal('timeDecay').describe('Time-based decay: lr0 / (1 + decay * t).'),
      decay: nonNegative.describe('The decay; 1e-3 halves the rate after 1,000 steps.'),
      per,
    }),
    z.strictObject({
      name: z.literal('stepDecay').describe('Step decay: lr0 * gamma^floor(t / stepSize).'),
      stepSize: positiveInt.describe('Steps between reductions.'),
      gamma: z.number().gt(0).lt(1).optional().describe('Factor per reduction. Default 0.1.'),
      per,
    }),
    z.strictObject({
      name: z.literal('exponentialDecay').describe('Exponential decay: lr0 * gamma^t.'),
      gamma: z.number().gt(0).max(1).describe('Factor per step, in (0, 1].'),
      per,
    }),
    z.strictObject({
      name: z
        .literal('cosineAnnealing')
        .describe(
          'Cosine annealing from lr0 to etaMin over tMax steps (optionally restarting, SGDR).',
        ),
      tMax: positiveInt.describe(
        'Steps of one cosine half-period: lr = etaMin + (lr0 - etaMin) (1 + cos(pi t / tMax)) / 2.',
      ),
      etaMin: nonNegative.optional().describe('The lowest rate. Default 0.'),
      restarts: z
        .boolean()
        .optional()
        .describe('Restart at lr0 after each period (Loshchilov & Hutter 2016). Default false.'),
      tMult: z
        .number()
        .min(1)
        .optional()
        .describe('With restarts: each period is tMult times longer than the last. Default 1.'),
      per,
    }),
    z.strictObject({
      name: z
        .literal('reduceOnPlateau')
        .describe('Multiply by `factor` after `patience` epochs without improvement of `monitor`.'),
      monitor: z.string().optional().describe("Epoch metric watched. Default 'valLoss'."),
      factor: z.number().gt(0).lt(1).optional().describe('Factor per reduction. Default 0.1.'),
      patience: positiveInt
        .optional()
        .describe('Epochs without improvement before a reduction. Default 10.'),
      cooldown: z
        .number()
        .int()
        .nonnegative()
        .optional()
        .describe('Epochs to wait after a reduction before counting again. Default 0.'),
      minLr: nonNegative.optional().describe('The rate never goes below this. Default 0.'),
    }),
  ])
  .describe('Learning-rate schedule starting from optimizer.lr; constant when absent.');

/** A schedule section after validation (defaults filled in). */
export type ScheduleConfig = z.output<typeof scheduleSchema>;
