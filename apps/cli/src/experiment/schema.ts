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
  z.strictObject({
    name: z.literal('rmsprop'),
    lr: z.number().positive().default(1e-3),
    /** Decay of the mean square (Hinton's rho). */
    rho: z.number().min(0).lt(1).optional(),
    momentum: z.number().min(0).lt(1).optional(),
    centered: z.boolean().optional(),
    epsilon: z.number().positive().optional(),
    ...common,
  }),
  z.strictObject({
    name: z.literal('adagrad'),
    lr: z.number().positive().default(1e-2),
    initialAccumulatorValue: nonNegative.optional(),
    epsilon: z.number().positive().optional(),
    ...common,
  }),
]);

const zooModelNames = [
  'mlp',
  'lenet5',
  'vgg11',
  'vgg16',
  'vgg19',
  'resnet18',
  'linear',
  'mlp2',
  'cnn4',
  'sepcnn5',
  'basecnn',
  'm2cnn',
] as const;

export const modelSchema = z.strictObject({
  /** A zoo model (tunelab summary lists them); inputs and classes come from the data. */
  name: z.enum(zooModelNames),
  /** mlp only: hidden layer widths. Default [128]. */
  hidden: z.array(positiveInt).optional(),
  /** mlp only: activation of the hidden layers. Default relu. */
  activation: z.enum(['relu', 'sigmoid', 'tanh', 'elu']).optional(),
  /** Freeze the first N layers (transfer learning). */
  freeze: z.number().int().nonnegative().optional(),
});

const per = z.enum(['iteration', 'epoch']).default('iteration');
export const scheduleSchema = z.discriminatedUnion('name', [
  z.strictObject({ name: z.literal('constant'), per }),
  /** lr0 / (1 + decay * t) */
  z.strictObject({ name: z.literal('timeDecay'), decay: nonNegative, per }),
  /** lr0 * gamma^floor(t / stepSize) */
  z.strictObject({
    name: z.literal('stepDecay'),
    stepSize: positiveInt,
    gamma: z.number().gt(0).lt(1).optional(),
    per,
  }),
  /** lr0 * gamma^t */
  z.strictObject({ name: z.literal('exponentialDecay'), gamma: z.number().gt(0).max(1), per }),
  /** cosine from lr0 to etaMin over tMax steps (optionally restarting, SGDR) */
  z.strictObject({
    name: z.literal('cosineAnnealing'),
    tMax: positiveInt,
    etaMin: nonNegative.optional(),
    restarts: z.boolean().optional(),
    tMult: z.number().min(1).optional(),
    per,
  }),
  /** multiply by factor after `patience` epochs without improvement of `monitor` */
  z.strictObject({
    name: z.literal('reduceOnPlateau'),
    monitor: z.string().optional(),
    factor: z.number().gt(0).lt(1).optional(),
    patience: positiveInt.optional(),
    cooldown: z.number().int().nonnegative().optional(),
    minLr: nonNegative.optional(),
  }),
]);

export const dataSchema = z.strictObject({
  /** A known dataset (fashion-mnist, mnist, cifar10) or a folder / CSV file path. */
  dataset: z.string().min(1),
  /** Folder holding a known dataset's files; found automatically when absent (cache, system copy). */
  path: z.string().min(1).optional(),
  /** Train / validation / test fractions of the merged official parts; must sum to 1. */
  split: z
    .tuple([nonNegative, nonNegative, nonNegative])
    .default([0.8, 0.1, 0.1])
    .refine((r) => Math.abs(r[0] + r[1] + r[2] - 1) < 1e-9, {
      message: 'split fractions must sum to 1',
    }),
  /** Keep class proportions in every part. */
  stratify: z.boolean().default(false),
  /** Label column of a CSV file. */
  label: z.string().optional(),
  /** Per-channel normalisation with statistics of the training split (every split). */
  normalize: z.boolean().default(false),
  /** Resize images to [height, width] (every split), e.g. [32, 32] for 28x28 data. */
  resize: z.tuple([positiveInt, positiveInt]).optional(),
  /** Replicate a grey channel to RGB (every split). */
  greyToRgb: z.boolean().default(false),
  /** Training-time augmentation (never applied to validation or test). */
  augment: z
    .strictObject({
      crop: z
        .strictObject({ size: positiveInt, padding: z.number().int().nonnegative() })
        .optional(),
      flip: z.number().min(0).max(1).optional(),
    })
    .optional(),
});

export const evaluationSchema = z.strictObject({
  /** Evaluate every this many training samples (mid-epoch included), e.g. 20000. */
  everySamples: positiveInt.optional(),
  /** Fraction of the training set used for training metrics at those points, e.g. 0.2. */
  trainFraction: z.number().gt(0).max(1).default(0.2),
});

export const callbacksSchema = z.strictObject({
  /** Stop after `patience` epochs without improvement of `monitor`; restore the best weights. */
  earlyStopping: z
    .strictObject({
      monitor: z.string().default('valLoss'),
      mode: z.enum(['min', 'max']).optional(),
      patience: positiveInt.default(5),
      minDelta: nonNegative.optional(),
      restoreBestWeights: z.boolean().default(true),
    })
    .optional(),
  /** Prechelt's criteria on the validation loss (GL_alpha, PQ_alpha with strip k, UP_s with strip k). */
  stopWhen: z
    .strictObject({
      gl: nonNegative.optional(),
      pq: z.strictObject({ alpha: nonNegative, k: positiveInt }).optional(),
      up: z.strictObject({ s: positiveInt, k: positiveInt }).optional(),
    })
    .optional(),
  /** Keep artifacts/best.safetensors: the weights of the best epoch by `monitor`. */
  checkpointBest: z
    .strictObject({
      monitor: z.string().default('valAccuracy'),
      mode: z.enum(['min', 'max']).optional(),
    })
    .optional(),
});

const range = z.union([
  z.strictObject({ uniform: z.tuple([z.number(), z.number()]) }),
  z.strictObject({ logUniform: z.tuple([z.number().positive(), z.number().positive()]) }),
  z.strictObject({ int: z.tuple([z.number().int(), z.number().int()]) }),
  z.strictObject({ choice: z.array(z.unknown()).min(1) }),
]);

export const sweepSchema = z.strictObject({
  /**
   * Named lists of overrides; trials are the cartesian product of the axes. E.g. axes
   * { model: [{ model: { name: 'mlp' } }, ...], setting: [{ epochs: 2, 'optimizer.lr': 0.1, label: 'lr 0.1' }, ...] }.
   */
  axes: z.record(z.string(), z.array(z.record(z.string(), z.unknown())).min(1)).optional(),
  /** Dotted path -> values; combined with the axes as a product. */
  grid: z.record(z.string(), z.array(z.unknown()).min(1)).optional(),
  /** Random search: `trials` draws of each declared range (seeded by the experiment's seed). */
  random: z.strictObject({ trials: positiveInt, params: z.record(z.string(), range) }).optional(),
  /** Successive halving: after min, min*eta, ... epochs keep the best 1/eta of the trials. */
  halving: z
    .strictObject({ eta: z.number().min(2).default(3), minEpochs: positiveInt.default(1) })
    .optional(),
  /** Selection metric (validation only: the test split is never looked at). */
  metric: z.string().default('valAccuracy'),
  mode: z.enum(['min', 'max']).optional(),
  /** Trials run at once (worker processes). Default: one per core. */
  parallel: positiveInt.optional(),
});
export type SweepSpec = z.output<typeof sweepSchema>;

export const experimentSchema = z.strictObject({
  /** Names the run directories. */
  name: z
    .string()
    .min(1)
    .regex(/^[\w.-]+$/, 'use letters, digits, dot, dash or underscore'),
  description: z.string().optional(),
  /** Seeds the split, the initial weights, the batch order and the augmentation. */
  seed: z.number().int().nonnegative().default(42),
  /** Backend name (tfjs-node-gpu, tfjs-node, webgpu, wasm, cpu); automatic when absent. */
  backend: z.string().optional(),
  data: dataSchema,
  model: modelSchema,
  optimizer: optimizerSchema,
  /** Learning-rate schedule starting from optimizer.lr; constant when absent. */
  schedule: scheduleSchema.optional(),
  /** Linear warm-up over this many iterations before the schedule. */
  warmup: positiveInt.optional(),
  epochs: positiveInt,
  batchSize: positiveInt.default(32),
  /** Periodic evaluation besides the per-epoch one. */
  evaluation: evaluationSchema.optional(),
  callbacks: callbacksSchema.optional(),
  /** Use only the first N training examples after the split (smoke tests, demos). */
  trainLimit: positiveInt.optional(),
  /** Makes this a sweep definition (tunelab sweep); ignored by tunelab train. */
  sweep: sweepSchema.optional(),
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
