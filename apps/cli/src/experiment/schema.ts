import { z } from 'zod';

const positiveInt = z.number().int().positive();
const nonNegative = z.number().nonnegative();

const common = {
  /** L2 penalty added to the gradient (AdamW: decoupled decay). */
  weightDecay: nonNegative.optional(),
  /** Clip each gradient entry to [-clipValue, clipValue]. */
  clipValue: z.number().positive().optional(),
  /** Rescale gradients whose global L2 norm exceeds clipNorm. */
  clipNorm: z.number().positive().optional(),
};

const adamFields = {
  lr: z.number().positive().default(1e-3),
  beta1: z.number().min(0).lt(1).optional(),
  beta2: z.number().min(0).lt(1).optional(),
  epsilon: z.number().positive().optional(),
  ...common,
};

export const optimizerSchema = z.discriminatedUnion('name', [
  z.strictObject({
    name: z.literal('sgd'),
    lr: z.number().positive(),
    momentum: z.number().min(0).lt(1).optional(),
    nesterov: z.boolean().optional(),
    ...common,
  }),
  z.strictObject({
    name: z.literal('momentum'),
    lr: z.number().positive(),
    momentum: z.number().min(0).lt(1).default(0.9),
    ...common,
  }),
  z.strictObject({
    name: z.literal('nesterov'),
    lr: z.number().positive(),
    momentum: z.number().gt(0).lt(1).default(0.9),
    ...common,
  }),
  z.strictObject({ name: z.literal('adam'), ...adamFields }),
  z.strictObject({ name: z.literal('adamw'), ...adamFields }),
]);

export const modelSchema = z.discriminatedUnion('name', [
  z.strictObject({
    name: z.literal('mlp'),
    /** Hidden layer widths. */
    hidden: z.array(positiveInt).default([128]),
    activation: z.enum(['relu', 'sigmoid', 'tanh', 'elu']).default('relu'),
  }),
]);

export const dataSchema = z.strictObject({
  /** A known dataset name: fashion-mnist or mnist. */
  dataset: z.enum(['fashion-mnist', 'mnist']),
  /** Folder holding the dataset's files; found automatically when absent (cache, system copy). */
  path: z.string().min(1).optional(),
  /** Train / validation / test fractions of the merged official parts; must sum to 1. */
  split: z
    .tuple([nonNegative, nonNegative, nonNegative])
    .default([0.8, 0.1, 0.1])
    .refine((r) => Math.abs(r[0] + r[1] + r[2] - 1) < 1e-9, {
      message: 'split fractions must sum to 1',
    }),
});

export const experimentSchema = z.strictObject({
  /** Names the run directories. */
  name: z
    .string()
    .min(1)
    .regex(/^[\w.-]+$/, 'use letters, digits, dot, dash or underscore'),
  description: z.string().optional(),
  /** Seeds the split, the initial weights and the batch order. */
  seed: z.number().int().nonnegative().default(42),
  /** Backend name (tfjs-node-gpu, tfjs-node, wasm, cpu); automatic when absent. */
  backend: z.string().optional(),
  data: dataSchema,
  model: modelSchema,
  optimizer: optimizerSchema,
  epochs: positiveInt,
  batchSize: positiveInt.default(32),
  /** Use only the first N training examples after the split (smoke tests, demos). */
  trainLimit: positiveInt.optional(),
});

/** An experiment as written by a user (defaults not yet applied). */
export type ExperimentInput = z.input<typeof experimentSchema>;
/** An experiment after validation, with every default filled in. */
export type Experiment = z.output<typeof experimentSchema>;

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
