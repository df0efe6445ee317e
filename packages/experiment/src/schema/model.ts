import type { Module, Rng } from '@tunelab/core';
import { layerListSchema, zooNameSchema } from '@tunelab/layers/spec';
import { z } from 'zod';

/** What a model builder function receives: the data's shape and classes, and a seeded generator. */
export interface ModelBuildContext {
  /** Shape of one input example after preprocessing, e.g. [28, 28, 1]. */
  readonly inputShape: number[];
  /** Number of classes of the data: the size of the output. */
  readonly classes: number;
  /** Generator of the initial weights, forked from the experiment's seed. */
  readonly rng: Rng;
}

/**
 * A model written as code (TypeScript experiments), for what a layer list cannot say:
 * `({ inputShape, classes, rng }) => new Sequential([...])`, returning any Module.
 */
export type ModelBuilder = (context: ModelBuildContext) => Module;

/** Validates `model.init`: a previous run's weights for the first layers ({@link InitConfig}). */
export const initSchema = z
  .strictObject({
    from: z
      .string()
      .min(1)
      .describe(
        'Run directory whose weights start the model (relative to the experiment file), e.g. runs/20261123-141502-pretrain-3fa2.',
      ),
    layers: z
      .number()
      .int()
      .positive()
      .describe(
        'Copy the first N layers that hold parameters (as freezeFirst counts them); the rest (the head) starts fresh.',
      ),
    freeze: z
      .boolean()
      .default(false)
      .describe(
        'Freeze the copied layers (feature extraction); false fine-tunes them. Default false.',
      ),
    weights: z
      .enum(['final', 'best'])
      .default('final')
      .describe(
        "Which weights of that run: 'final' (model.safetensors) or 'best' (best.safetensors).",
      ),
  })
  .describe("Start from a previous run's weights: its first `layers` layers, then a new head.");

const common = {
  freeze: z
    .number()
    .int()
    .nonnegative()
    .optional()
    .describe('Freeze the first N layers that hold parameters (transfer learning).'),
  init: initSchema.optional(),
};

/** Validates a zoo model: `{ name: 'cnn4' }`; inputs and classes come from the data. */
export const zooModelSchema = z
  .strictObject({
    name: zooNameSchema,
    hidden: z
      .array(z.number().int().positive())
      .optional()
      .describe('mlp only: hidden layer widths. Default [128].'),
    activation: z
      .enum(['relu', 'sigmoid', 'tanh', 'elu'])
      .optional()
      .describe('mlp only: activation of the hidden layers. Default relu.'),
    ...common,
  })
  .describe(
    'A ready model by name (tunelab summary lists them); inputs and classes come from the data.',
  );

/** Validates a network written as a layer list: `{ layers: [{ conv2d: {...} }, ...] }`. */
export const layerListModelSchema = z
  .strictObject({ layers: layerListSchema, ...common })
  .describe('Your own network as a list of layers; shapes are inferred from the data.');

/**
 * Validates a model built by a function exported from a file: `{ file: './model.ts', export:
 * 'smallCnn' }`. TypeScript experiments that give `model` as a function are recorded this way.
 */
export const fileModelSchema = z
  .strictObject({
    file: z
      .string()
      .min(1)
      .describe('A .ts/.js file (relative to the experiment file) exporting a model builder.'),
    export: z
      .string()
      .min(1)
      .default('default')
      .describe(
        "Which export builds the model: a name, or a dotted path such as 'default.model'. Default 'default'.",
      ),
    ...common,
  })
  .describe('A model built by ({ inputShape, classes, rng }) => Module, exported from a file.');

/** The model section of a JSON experiment: a zoo model, a layer list or a builder file. */
export const modelSchema = z
  .union([zooModelSchema, layerListModelSchema, fileModelSchema])
  .describe(
    'The model: a zoo model by name, your own layer list, or a builder exported from a file.',
  );

const builderSchema = z.custom<ModelBuilder>((v) => typeof v === 'function', {
  message: 'expected a function ({ inputShape, classes, rng }) => Module',
});

/** A model given as a function in a TypeScript experiment, with the common options. */
const builderModelSchema = z.strictObject({
  build: builderSchema.describe('Builds the model: ({ inputShape, classes, rng }) => Module.'),
  ...common,
});

/**
 * The model section of any experiment: what {@link modelSchema} accepts, or (TypeScript) a
 * builder function or `{ build, freeze?, init? }`. A bare function becomes `{ build }`.
 */
export const anyModelSchema = z
  .union([
    zooModelSchema,
    layerListModelSchema,
    fileModelSchema,
    builderModelSchema,
    builderSchema.transform((build): BuilderModel => ({ build })),
  ])
  .describe('The model: a zoo model by name, a layer list, a builder file or a builder function.');

/** A model given as a builder function, with the options every model section has. */
export interface BuilderModel {
  /** Builds the model: ({ inputShape, classes, rng }) => Module. */
  build: ModelBuilder;
  /** Freeze the first N layers that hold parameters. */
  freeze?: number;
  /** Start from a previous run's weights. */
  init?: InitConfig;
}

/** A validated model section. */
export type ModelConfig = z.output<typeof anyModelSchema>;
/** A model section that JSON can hold (no function): what run records and trial files carry. */
export type JsonModelConfig = z.output<typeof modelSchema>;
/** `model.init`: which run's weights start the model, how many layers, frozen or not. */
export type InitConfig = z.output<typeof initSchema>;
