import { dataSchema } from '@tunelab/datasets';
import { callbacksSchema, optimizerSchema, scheduleSchema } from '@tunelab/optimizers';
import { z } from 'zod';
import { anyModelSchema, modelSchema } from './model.js';
import { sweepSchema } from './sweep.js';

const positiveInt = z.number().int().positive();

/** Validates the periodic evaluation besides the per-epoch one. */
export const evaluationSchema = z
  .strictObject({
    everySamples: positiveInt
      .optional()
      .describe('Evaluate every this many training samples (mid-epoch included), e.g. 20000.'),
    trainFraction: z
      .number()
      .gt(0)
      .max(1)
      .default(0.2)
      .describe(
        'Fraction of the training set used for training metrics at those points, e.g. 0.2.',
      ),
    heldOut: z
      .enum(['validation', 'test'])
      .optional()
      .describe(
        "The held-out split evaluated during training (each epoch and each periodic point): 'validation' (the default) or 'test', an explicit opt-in for a literal reproduction of coursework that looks at the test set while training. The run record (heldOut: 'test'), every report and `tunelab eval --split test` then say so, and a sweep must select by a test metric (sweep.metric: 'testAccuracy'). Leave it out to keep the test split unseen.",
      ),
  })
  .describe('Periodic evaluation besides the per-epoch one.');

/** The experiment's fields; the model section differs between TypeScript and JSON. */
const fields = {
  $schema: z
    .string()
    .optional()
    .describe('The JSON Schema of experiment files, for editor completion and checks.'),
  name: z
    .string()
    .min(1)
    .regex(/^[\w.-]+$/, 'use letters, digits, dot, dash or underscore')
    .describe('Names the run directories.'),
  description: z.string().optional().describe('Free text shown in listings and reports.'),
  seed: z
    .number()
    .int()
    .nonnegative()
    .default(42)
    .describe('Seeds the split, the initial weights, the batch order and the augmentation.'),
  backend: z
    .string()
    .optional()
    .describe('Backend name (tfjs-node-gpu, tfjs-node, webgpu, wasm, cpu); automatic when absent.'),
  data: dataSchema,
  model: anyModelSchema,
  optimizer: optimizerSchema,
  schedule: scheduleSchema.optional(),
  warmup: positiveInt
    .optional()
    .describe('Linear warm-up over this many iterations before the schedule.'),
  epochs: positiveInt.describe('Epochs to train.'),
  batchSize: positiveInt.default(32).describe('Examples per update. Default 32.'),
  evaluation: evaluationSchema.optional(),
  callbacks: callbacksSchema.optional(),
  trainLimit: positiveInt
    .optional()
    .describe('Use only the first N training examples after the split (smoke tests, demos).'),
  validationLimit: positiveInt
    .optional()
    .describe(
      'Validate on only the first N validation examples (quick looks, the browser); the metrics get noisier.',
    ),
  sweep: sweepSchema.optional(),
};

/**
 * Validates an experiment (a .json file or a .ts file's default export), filling in defaults:
 * `experimentSchema.parse({ name: 'q', data: { dataset: 'mnist' }, model: { name: 'mlp' },
 * optimizer: { name: 'adam' }, epochs: 1 }).batchSize` is 32.
 */
export const experimentSchema = z
  .strictObject(fields)
  .describe('A tunelab experiment: data, model, optimizer, training and (optionally) a sweep.');

/**
 * The experiment as JSON can write it (the model is a zoo name, a layer list or a builder
 * file, never a function): what the generated JSON Schema describes and run records hold.
 */
export const jsonExperimentSchema = z
  .strictObject({ ...fields, model: modelSchema })
  .describe('A tunelab experiment: data, model, optimizer, training and (optionally) a sweep.');

/** An experiment as written by a user (defaults not yet applied). */
export type ExperimentInput = z.input<typeof experimentSchema>;
/** An experiment after validation, with every default filled in. */
export type Experiment = z.output<typeof experimentSchema>;
/** An experiment JSON can hold (its model a zoo name, a layer list or a builder file). */
export type JsonExperiment = z.output<typeof jsonExperimentSchema>;

/**
 * Declares an experiment with type checking and editor completion; returns it unchanged.
 *
 * ```ts
 * import { defineExperiment } from 'tunelab';
 * export default defineExperiment({
 *   name: 'quickstart',
 *   data: { dataset: 'fashion-mnist' },
 *   model: { name: 'mlp', hidden: [128] },
 *   optimizer: { name: 'adam', lr: 1e-3 },
 *   epochs: 5,
 * });
 * ```
 */
export function defineExperiment(experiment: ExperimentInput): ExperimentInput {
  return experiment;
}
