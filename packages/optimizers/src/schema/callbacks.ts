import { z } from 'zod';

const positiveInt = z.number().int().positive();
const nonNegative = z.number().nonnegative();
const mode = z
  .enum(['min', 'max'])
  .optional()
  .describe("'min' or 'max'; default 'max' for accuracies, 'min' otherwise.");

/**
 * Validates the stopping and checkpointing callbacks of an experiment: earlyStopping,
 * Prechelt's stopWhen criteria and checkpointBest, with the options of this package's
 * factories. `callbacksSchema.parse({ earlyStopping: {} }).earlyStopping.patience` is 5.
 */
export const callbacksSchema = z
  .strictObject({
    earlyStopping: z
      .strictObject({
        monitor: z.string().default('valLoss').describe("Epoch metric watched. Default 'valLoss'."),
        mode,
        patience: positiveInt
          .default(5)
          .describe('Epochs without improvement that stop training. Default 5.'),
        minDelta: nonNegative
          .optional()
          .describe('Smallest change that counts as an improvement. Default 0.'),
        restoreBestWeights: z
          .boolean()
          .default(true)
          .describe("Put the best epoch's weights back at the end. Default true."),
      })
      .optional()
      .describe(
        'Stop after `patience` epochs without improvement of `monitor`; restore the best weights.',
      ),
    stopWhen: z
      .strictObject({
        gl: nonNegative
          .optional()
          .describe('GL_alpha: stop once 100 (E_va / E_opt - 1) > alpha, e.g. 5.'),
        pq: z
          .strictObject({
            alpha: nonNegative.describe('The threshold alpha.'),
            k: positiveInt.describe('Strip length in epochs, e.g. 5.'),
          })
          .optional()
          .describe(
            'PQ_alpha: stop once GL / P_k > alpha (P_k: training progress over a strip of k epochs).',
          ),
        up: z
          .strictObject({
            s: positiveInt.describe('Successive rising strips, e.g. 3.'),
            k: positiveInt.describe('Strip length in epochs, e.g. 5.'),
          })
          .optional()
          .describe(
            'UP_s: stop once the validation error rose at the end of s successive k-epoch strips.',
          ),
      })
      .optional()
      .describe(
        "Prechelt's criteria on the validation loss (GL_alpha, PQ_alpha with strip k, UP_s with strip k).",
      ),
    checkpointBest: z
      .strictObject({
        monitor: z
          .string()
          .default('valAccuracy')
          .describe("Epoch metric compared. Default 'valAccuracy'."),
        mode,
      })
      .optional()
      .describe('Keep artifacts/best.safetensors: the weights of the best epoch by `monitor`.'),
  })
  .describe("Early stopping, Prechelt's criteria, best-checkpoint keeping.");

/** A callbacks section after validation (defaults filled in). */
export type CallbacksConfig = z.output<typeof callbacksSchema>;
