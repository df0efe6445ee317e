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
  /** Learning rate. Default 1e-3. */
  lr: z.number().positive().default(1e-3),
  /** Decay of the first-moment average m. Default 0.9. */
  beta1: z.number().min(0).lt(1).optional(),
  /** Decay of the second-moment average v. Default 0.999. */
  beta2: z.number().min(0).lt(1).optional(),
  /** Added to sqrt(v_hat) in the denominator. Default 1e-8. */
  epsilon: z.number().positive().optional(),
  ...common,
};

export const optimizerSchema = z.discriminatedUnion('name', [
  z.strictObject({
    /** Plain SGD, w <- w - lr g (with `momentum`, the heavy-ball form). */
    name: z.literal('sgd'),
    /** Learning rate (required). */
    lr: z.number().positive(),
    /** Momentum mu in [0, 1): v <- mu v + g, w <- w - lr v. Default 0 (none). */
    momentum: z.number().min(0).lt(1).optional(),
    /** Nesterov's look-ahead update (needs momentum > 0). Default false. */
    nesterov: z.boolean().optional(),
    ...common,
  }),
  z.strictObject({
    /** SGD with heavy-ball momentum. */
    name: z.literal('momentum'),
    /** Learning rate (required). */
    lr: z.number().positive(),
    /** Momentum mu in [0, 1). Default 0.9. */
    momentum: z.number().min(0).lt(1).default(0.9),
    ...common,
  }),
  z.strictObject({
    /** SGD with Nesterov momentum: w <- w - lr (g + mu v). */
    name: z.literal('nesterov'),
    /** Learning rate (required). */
    lr: z.number().positive(),
    /** Momentum mu in (0, 1). Default 0.9. */
    momentum: z.number().gt(0).lt(1).default(0.9),
    ...common,
  }),
  z.strictObject({
    /** Adam (Kingma & Ba 2014); `weightDecay` is a coupled L2 penalty. */
    name: z.literal('adam'),
    ...adamFields,
  }),
  z.strictObject({
    /** AdamW: Adam with decoupled weight decay (Loshchilov & Hutter 2017). */
    name: z.literal('adamw'),
    ...adamFields,
  }),
  z.strictObject({
    /** RMSProp (Tieleman & Hinton 2012): w <- w - lr g / (sqrt(ms) + eps). */
    name: z.literal('rmsprop'),
    /** Learning rate. Default 1e-3. */
    lr: z.number().positive().default(1e-3),
    /** Decay of the mean square (Hinton's rho). */
    rho: z.number().min(0).lt(1).optional(),
    /** Momentum on the scaled step. Default 0. */
    momentum: z.number().min(0).lt(1).optional(),
    /** Divide by the variance ms - mg^2 instead of the mean square (Graves 2013). Default false. */
    centered: z.boolean().optional(),
    /** Added to the root in the denominator. */
    epsilon: z.number().positive().optional(),
    ...common,
  }),
  z.strictObject({
    /** Adagrad (Duchi et al. 2011): acc <- acc + g^2, w <- w - lr g / (sqrt(acc) + eps). */
    name: z.literal('adagrad'),
    /** Learning rate. Default 1e-2. */
    lr: z.number().positive().default(1e-2),
    /** Starting value of the accumulator. Default 0 (tf.train uses 0.1). */
    initialAccumulatorValue: nonNegative.optional(),
    /** Added to the root in the denominator. */
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
  z.strictObject({
    /** lr = optimizer.lr throughout. */
    name: z.literal('constant'),
    /** What t counts: 'iteration' (updates, default) or 'epoch'. */
    per,
  }),
  z.strictObject({
    /** Time-based decay: lr0 / (1 + decay * t). */
    name: z.literal('timeDecay'),
    /** The decay; 1e-3 halves the rate after 1,000 steps. */
    decay: nonNegative,
    /** What t counts: 'iteration' (updates, default) or 'epoch'. */
    per,
  }),
  z.strictObject({
    /** Step decay: lr0 * gamma^floor(t / stepSize). */
    name: z.literal('stepDecay'),
    /** Steps between reductions. */
    stepSize: positiveInt,
    /** Factor per reduction. Default 0.1. */
    gamma: z.number().gt(0).lt(1).optional(),
    /** What t counts: 'iteration' (updates, default) or 'epoch'. */
    per,
  }),
  z.strictObject({
    /** Exponential decay: lr0 * gamma^t. */
    name: z.literal('exponentialDecay'),
    /** Factor per step, in (0, 1]. */
    gamma: z.number().gt(0).max(1),
    /** What t counts: 'iteration' (updates, default) or 'epoch'. */
    per,
  }),
  z.strictObject({
    /** Cosine annealing from lr0 to etaMin over tMax steps (optionally restarting, SGDR). */
    name: z.literal('cosineAnnealing'),
    /** Steps of one cosine half-period: lr = etaMin + (lr0 - etaMin) (1 + cos(pi t / tMax)) / 2. */
    tMax: positiveInt,
    /** The lowest rate. Default 0. */
    etaMin: nonNegative.optional(),
    /** Restart at lr0 after each period (Loshchilov & Hutter 2016). Default false. */
    restarts: z.boolean().optional(),
    /** With restarts: each period is tMult times longer than the last. Default 1. */
    tMult: z.number().min(1).optional(),
    /** What t counts: 'iteration' (updates, default) or 'epoch'. */
    per,
  }),
  z.strictObject({
    /** Multiply by `factor` after `patience` epochs without improvement of `monitor`. */
    name: z.literal('reduceOnPlateau'),
    /** Epoch metric watched. Default 'valLoss'. */
    monitor: z.string().optional(),
    /** Factor per reduction. Default 0.1. */
    factor: z.number().gt(0).lt(1).optional(),
    /** Epochs without improvement before a reduction. Default 10. */
    patience: positiveInt.optional(),
    /** Epochs to wait after a reduction before counting again. Default 0. */
    cooldown: z.number().int().nonnegative().optional(),
    /** The rate never goes below this. Default 0. */
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
      /** Random crop after zero padding, e.g. { size: 32, padding: 4 } for CIFAR-10. */
      crop: z
        .strictObject({
          /** Side of the square crop in pixels. */
          size: positiveInt,
          /** Zero pixels added on every side first. */
          padding: z.number().int().nonnegative(),
        })
        .optional(),
      /** Probability of a horizontal flip per image, e.g. 0.5. */
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
      /** Epoch metric watched. Default 'valLoss'. */
      monitor: z.string().default('valLoss'),
      /** 'min' or 'max'; default 'max' for accuracies, 'min' otherwise. */
      mode: z.enum(['min', 'max']).optional(),
      /** Epochs without improvement that stop training. Default 5. */
      patience: positiveInt.default(5),
      /** Smallest change that counts as an improvement. Default 0. */
      minDelta: nonNegative.optional(),
      /** Put the best epoch's weights back at the end. Default true. */
      restoreBestWeights: z.boolean().default(true),
    })
    .optional(),
  /** Prechelt's criteria on the validation loss (GL_alpha, PQ_alpha with strip k, UP_s with strip k). */
  stopWhen: z
    .strictObject({
      /** GL_alpha: stop once 100 (E_va / E_opt - 1) > alpha, e.g. 5. */
      gl: nonNegative.optional(),
      /** PQ_alpha: stop once GL / P_k > alpha (P_k: training progress over a strip of k epochs). */
      pq: z
        .strictObject({
          /** The threshold alpha. */
          alpha: nonNegative,
          /** Strip length in epochs, e.g. 5. */
          k: positiveInt,
        })
        .optional(),
      /** UP_s: stop once the validation error rose at the end of s successive k-epoch strips. */
      up: z
        .strictObject({
          /** Successive rising strips, e.g. 3. */
          s: positiveInt,
          /** Strip length in epochs, e.g. 5. */
          k: positiveInt,
        })
        .optional(),
    })
    .optional(),
  /** Keep artifacts/best.safetensors: the weights of the best epoch by `monitor`. */
  checkpointBest: z
    .strictObject({
      /** Epoch metric compared. Default 'valAccuracy'. */
      monitor: z.string().default('valAccuracy'),
      /** 'min' or 'max'; default 'max' for accuracies, 'min' otherwise. */
      mode: z.enum(['min', 'max']).optional(),
    })
    .optional(),
});

const range = z.union([
  z.strictObject({
    /** Uniform draws from [low, high], e.g. momentum in [0.8, 0.99]. */
    uniform: z.tuple([z.number(), z.number()]),
  }),
  z.strictObject({
    /** Log-uniform draws from [low, high]: 10^u, u uniform in [log10 low, log10 high], e.g. lr. */
    logUniform: z.tuple([z.number().positive(), z.number().positive()]),
  }),
  z.strictObject({
    /** Integers from [low, high], both ends included. */
    int: z.tuple([z.number().int(), z.number().int()]),
  }),
  z.strictObject({
    /** One of these values, equally likely. */
    choice: z.array(z.unknown()).min(1),
  }),
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
  random: z
    .strictObject({
      /** Number of trials drawn. */
      trials: positiveInt,
      /** Dotted path -> range, e.g. { 'optimizer.lr': { logUniform: [1e-4, 1e-2] } }. */
      params: z.record(z.string(), range),
    })
    .optional(),
  /** Successive halving: after min, min*eta, ... epochs keep the best 1/eta of the trials. */
  halving: z
    .strictObject({
      /** Keep the best 1/eta at each rung. Default 3. */
      eta: z.number().min(2).default(3),
      /** Epochs of the first rung. Default 1. */
      minEpochs: positiveInt.default(1),
    })
    .optional(),
  /** Selection metric (validation only: the test split is never looked at). */
  metric: z.string().default('valAccuracy'),
  /** 'min' or 'max'; default 'max' for accuracies, 'min' otherwise. */
  mode: z.enum(['min', 'max']).optional(),
  /** Trials run at once (worker processes). Default: one per core. */
  parallel: positiveInt.optional(),
});
export type SweepSpec = z.output<typeof sweepSchema>;

/**
 * Validates an experiment (a .json file or a .ts file's default export), filling in defaults:
 * `experimentSchema.parse({ name: 'q', data: { dataset: 'mnist' }, model: { name: 'mlp' },
 * optimizer: { name: 'adam' }, epochs: 1 }).batchSize` is 32.
 */
export const experimentSchema = z.strictObject({
  /** Names the run directories. */
  name: z
    .string()
    .min(1)
    .regex(/^[\w.-]+$/, 'use letters, digits, dot, dash or underscore'),
  /** Free text shown in listings and reports. */
  description: z.string().optional(),
  /** Seeds the split, the initial weights, the batch order and the augmentation. */
  seed: z.number().int().nonnegative().default(42),
  /** Backend name (tfjs-node-gpu, tfjs-node, webgpu, wasm, cpu); automatic when absent. */
  backend: z.string().optional(),
  /** The data: which dataset, how it is split and preprocessed. */
  data: dataSchema,
  /** The model: a zoo model by name. */
  model: modelSchema,
  /** The optimizer by name, with its settings, e.g. { name: 'adam', lr: 1e-3 }. */
  optimizer: optimizerSchema,
  /** Learning-rate schedule starting from optimizer.lr; constant when absent. */
  schedule: scheduleSchema.optional(),
  /** Linear warm-up over this many iterations before the schedule. */
  warmup: positiveInt.optional(),
  /** Epochs to train. */
  epochs: positiveInt,
  /** Examples per update. Default 32. */
  batchSize: positiveInt.default(32),
  /** Periodic evaluation besides the per-epoch one. */
  evaluation: evaluationSchema.optional(),
  /** Early stopping, Prechelt's criteria, best-checkpoint keeping. */
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
