import { z } from 'zod';

const positiveInt = z.number().int().positive();

const range = z
  .union([
    z.strictObject({
      uniform: z
        .tuple([z.number(), z.number()])
        .describe('Uniform draws from [low, high], e.g. momentum in [0.8, 0.99].'),
    }),
    z.strictObject({
      logUniform: z
        .tuple([z.number().positive(), z.number().positive()])
        .describe(
          'Log-uniform draws from [low, high]: 10^u, u uniform in [log10 low, log10 high], e.g. lr.',
        ),
    }),
    z.strictObject({
      int: z
        .tuple([z.number().int(), z.number().int()])
        .describe('Integers from [low, high], both ends included.'),
    }),
    z.strictObject({
      choice: z.array(z.unknown()).min(1).describe('One of these values, equally likely.'),
    }),
  ])
  .describe('A range to draw from: uniform, logUniform, int or choice.');

/**
 * Validates the sweep section of an experiment: axes (named lists of overrides), a grid (path
 * -> values) or random search, with optional successive halving. Paths are dotted with array
 * indices: 'optimizer.lr', 'model.layers[0].conv2d.filters'.
 */
export const sweepSchema = z
  .strictObject({
    axes: z
      .record(z.string(), z.array(z.record(z.string(), z.unknown())).min(1))
      .optional()
      .describe(
        "Named lists of overrides; trials are the cartesian product of the axes, e.g. { filters: [{ 'model.layers[0].conv2d.filters': 8, label: '8' }, ...] }.",
      ),
    grid: z
      .record(z.string(), z.array(z.unknown()).min(1))
      .optional()
      .describe(
        "Path -> values, combined with the axes as a product, e.g. { 'model.layers[0].conv2d.kernel': [3, 5] }.",
      ),
    trials: z
      .array(
        z.strictObject({
          at: z
            .record(z.string(), z.string().min(1))
            .describe("Axis name -> position, e.g. { model: 'Model 2', setting: 'Setting 2' }."),
          set: z
            .record(z.string(), z.unknown())
            .optional()
            .describe(
              "This trial's own overrides (dotted paths or nested objects), e.g. { epochs: 15, 'optimizer.lr': 0.005 }.",
            ),
          label: z
            .string()
            .min(1)
            .optional()
            .describe(
              'Title of the trial\'s cell in the curve grid and tables; default its own values ("15 epochs, lr 0.005").',
            ),
        }),
      )
      .min(1)
      .optional()
      .describe(
        "An explicit list of trials, for settings that differ per cell (each model with its own (epochs, lr) settings). Each trial is placed on named axes by `at`: a name declared under `axes` applies that axis entry's overrides (found by its label), any other name is only a position (a row or column of the reports). `set` holds the trial's own overrides, applied last. A trial is crossed with every axis it does not name and with the grid, in declaration order, so a grid { seed: [1, 2] } repeats every trial; a path set both by `set` and by the grid or a crossed axis is an error. Without `trials` the plan is the product of the axes and the grid. E.g. axes { model: [{ label: 'Model 1', model: { name: 'linear' } }] } and trials [{ at: { model: 'Model 1', setting: 'Setting 1' }, set: { epochs: 5, 'optimizer.lr': 1e-4 } }].",
      ),
    random: z
      .strictObject({
        trials: positiveInt.describe('Number of trials drawn.'),
        params: z
          .record(z.string(), range)
          .describe("Path -> range, e.g. { 'optimizer.lr': { logUniform: [1e-4, 1e-2] } }."),
      })
      .optional()
      .describe(
        "Random search: `trials` draws of each declared range (seeded by the experiment's seed).",
      ),
    halving: z
      .strictObject({
        eta: z.number().min(2).default(3).describe('Keep the best 1/eta at each rung. Default 3.'),
        minEpochs: positiveInt.default(1).describe('Epochs of the first rung. Default 1.'),
      })
      .optional()
      .describe(
        'Successive halving: after min, min*eta, ... epochs keep the best 1/eta of the trials.',
      ),
    metric: z
      .string()
      .default('valAccuracy')
      .describe(
        "Selection metric: a validation metric (the test split is never looked at), or a test one only with evaluation.heldOut 'test'.",
      ),
    mode: z
      .enum(['min', 'max'])
      .optional()
      .describe("'min' or 'max'; default 'max' for accuracies, 'min' otherwise."),
    parallel: positiveInt
      .optional()
      .describe('Trials run at once (worker processes). Default: one per core.'),
  })
  .describe('Makes this a sweep definition (tunelab sweep); ignored by tunelab train.');

/** A validated sweep section. */
export type SweepSpec = z.output<typeof sweepSchema>;
