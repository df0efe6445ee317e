import { z } from 'zod';

const positiveInt = z.number().int().positive();
const fraction = z.number().nonnegative();

/**
 * Validates the data section of an experiment: which dataset, how its merged official parts
 * are split, and the preprocessing applied to every split (in order: normalize, pad, resize,
 * greyToRgb) and the training-only augmentation. Each field documents itself with
 * .describe(), which the experiment's JSON Schema shows in editors.
 * `dataSchema.parse({ dataset: 'fashion-mnist' }).split` is [0.8, 0.1, 0.1].
 */
export const dataSchema = z
  .strictObject({
    dataset: z
      .string()
      .min(1)
      .describe('A known dataset (fashion-mnist, mnist, cifar10) or a folder / CSV file path.'),
    path: z
      .string()
      .min(1)
      .optional()
      .describe(
        "Folder holding a known dataset's files; found automatically when absent (cache, system copy).",
      ),
    split: z
      .tuple([fraction, fraction, fraction])
      .default([0.8, 0.1, 0.1])
      .refine((r) => Math.abs(r[0] + r[1] + r[2] - 1) < 1e-9, {
        message: 'split fractions must sum to 1',
      })
      .describe('Train / validation / test fractions of the merged official parts; sum 1.'),
    stratify: z.boolean().default(false).describe('Keep class proportions in every part.'),
    label: z.string().optional().describe('Label column of a CSV file.'),
    allowPartial: z
      .boolean()
      .optional()
      .describe(
        'Train on a dataset folder that lacks some of its official files (they are recorded in the run as data.missing). Default false: a missing file is an error naming it.',
      ),
    normalize: z
      .boolean()
      .default(false)
      .describe('Per-channel normalisation with statistics of the training split (every split).'),
    pad: z
      .number()
      .int()
      .nonnegative()
      .optional()
      .describe(
        'Zero pixels added on every side of every image (every split), e.g. 2 turns 28x28 into 32x32 as LeNet-5 expects.',
      ),
    resize: z
      .tuple([positiveInt, positiveInt])
      .optional()
      .describe('Resize images to [height, width] (every split), e.g. [32, 32] for 28x28 data.'),
    greyToRgb: z
      .boolean()
      .default(false)
      .describe('Replicate a grey channel to RGB (every split).'),
    augment: z
      .strictObject({
        crop: z
          .strictObject({
            size: positiveInt.describe('Side of the square crop in pixels.'),
            padding: z
              .number()
              .int()
              .nonnegative()
              .describe('Zero pixels added on every side first.'),
          })
          .optional()
          .describe('Random crop after zero padding, e.g. { size: 32, padding: 4 } for CIFAR-10.'),
        flip: z
          .number()
          .min(0)
          .max(1)
          .optional()
          .describe('Probability of a horizontal flip per image, e.g. 0.5.'),
      })
      .optional()
      .describe('Training-time augmentation (never applied to validation or test).'),
  })
  .describe('The data: which dataset, how it is split and preprocessed.');

/** The data section of an experiment after validation (defaults filled in). */
export type DataConfig = z.output<typeof dataSchema>;
/** The data section as written (defaults not yet applied). */
export type DataConfigInput = z.input<typeof dataSchema>;
