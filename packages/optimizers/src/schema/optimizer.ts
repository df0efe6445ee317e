import { z } from 'zod';

const nonNegative = z.number().nonnegative();

const common = {
  weightDecay: nonNegative
    .optional()
    .describe('L2 penalty added to the gradient (AdamW: decoupled decay).'),
  clipValue: z
    .number()
    .positive()
    .optional()
    .describe('Clip each gradient entry to [-clipValue, clipValue].'),
  clipNorm: z
    .number()
    .positive()
    .optional()
    .describe('Rescale gradients whose global L2 norm exceeds clipNorm.'),
};

const adamFields = {
  lr: z.number().positive().default(1e-3).describe('Learning rate. Default 1e-3.'),
  beta1: z
    .number()
    .min(0)
    .lt(1)
    .optional()
    .describe('Decay of the first-moment average m. Default 0.9.'),
  beta2: z
    .number()
    .min(0)
    .lt(1)
    .optional()
    .describe('Decay of the second-moment average v. Default 0.999.'),
  epsilon: z
    .number()
    .positive()
    .optional()
    .describe('Added to sqrt(v_hat) in the denominator. Default 1e-8.'),
  ...common,
};

/**
 * Validates an optimizer by name with its settings, e.g. `{ name: 'adam', lr: 1e-3 }`: sgd,
 * momentum, nesterov, adam, adamw, rmsprop, adagrad, each with the options of its factory in
 * this package. `optimizerSchema.parse({ name: 'adam' }).lr` is 0.001.
 */
export const optimizerSchema = z
  .discriminatedUnion('name', [
    z.strictObject({
      name: z
        .literal('sgd')
        .describe('Plain SGD, w <- w - lr g (with `momentum`, the heavy-ball form).'),
      lr: z.number().positive().describe('Learning rate (required).'),
      momentum: z
        .number()
        .min(0)
        .lt(1)
        .optional()
        .describe('Momentum mu in [0, 1): v <- mu v + g, w <- w - lr v. Default 0 (none).'),
      nesterov: z
        .boolean()
        .optional()
        .describe("Nesterov's look-ahead update (needs momentum > 0). Default false."),
      ...common,
    }),
    z.strictObject({
      name: z.literal('momentum').describe('SGD with heavy-ball momentum.'),
      lr: z.number().positive().describe('Learning rate (required).'),
      momentum: z
        .number()
        .min(0)
        .lt(1)
        .default(0.9)
        .describe('Momentum mu in [0, 1). Default 0.9.'),
      ...common,
    }),
    z.strictObject({
      name: z.literal('nesterov').describe('SGD with Nesterov momentum: w <- w - lr (g + mu v).'),
      lr: z.number().positive().describe('Learning rate (required).'),
      momentum: z.number().gt(0).lt(1).default(0.9).describe('Momentum mu in (0, 1). Default 0.9.'),
      ...common,
    }),
    z.strictObject({
      name: z
        .literal('adam')
        .describe('Adam (Kingma & Ba 2014); `weightDecay` is a coupled L2 penalty.'),
      ...adamFields,
    }),
    z.strictObject({
      name: z
        .literal('adamw')
        .describe('AdamW: Adam with decoupled weight decay (Loshchilov & Hutter 2017).'),
      ...adamFields,
    }),
    z.strictObject({
      name: z
        .literal('rmsprop')
        .describe('RMSProp (Tieleman & Hinton 2012): w <- w - lr g / (sqrt(ms) + eps).'),
      lr: z.number().positive().default(1e-3).describe('Learning rate. Default 1e-3.'),
      rho: z.number().min(0).lt(1).optional().describe("Decay of the mean square (Hinton's rho)."),
      momentum: z
        .number()
        .min(0)
        .lt(1)
        .optional()
        .describe('Momentum on the scaled step. Default 0.'),
      centered: z
        .boolean()
        .optional()
        .describe(
          'Divide by the variance ms - mg^2 instead of the mean square (Graves 2013). Default false.',
        ),
      epsilon: z.number().positive().optional().describe('Added to the root in the denominator.'),
      ...common,
    }),
    z.strictObject({
      name: z
        .literal('adagrad')
        .describe(
          'Adagrad (Duchi et al. 2011): acc <- acc + g^2, w <- w - lr g / (sqrt(acc) + eps).',
        ),
      lr: z.number().positive().default(1e-2).describe('Learning rate. Default 1e-2.'),
      initialAccumulatorValue: nonNegative
        .optional()
        .describe('Starting value of the accumulator. Default 0 (tf.train uses 0.1).'),
      epsilon: z.number().positive().optional().describe('Added to the root in the denominator.'),
      ...common,
    }),
  ])
  .describe("The optimizer by name, with its settings, e.g. { name: 'adam', lr: 1e-3 }.");

/** An optimizer section after validation (defaults filled in). */
export type OptimizerConfig = z.output<typeof optimizerSchema>;
