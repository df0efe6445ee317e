import { z } from 'zod';
import { zooNames } from '../models/zoo.js';

/*
 * The layer-list spec: a network written as data, one entry per layer of @tunelab/layers,
 * each a one-key object naming the layer ({ conv2d: {...} }, { maxPool: 2 }). Shapes are not
 * written: every layer's input size comes from the layer before it (the first from the data).
 */

const positiveInt = z.number().int().positive();
const size2 = z
  .union([positiveInt, z.tuple([positiveInt, positiveInt])])
  .describe('A size: one number for both axes, or [height, width].');
const padding = z
  .enum(['same', 'valid'])
  .describe("'same' (output = ceil(input / stride), zeros added) or 'valid' (no padding).");
const fused = z
  .enum(['linear', 'relu', 'relu6', 'elu', 'sigmoid'])
  .describe(
    "Activation fused into the layer: 'linear' (none, the default), relu, relu6, elu, sigmoid.",
  );

const convFields = {
  kernel: size2.describe('Window size, e.g. 3 or [3, 5].'),
  stride: size2.optional().describe('Step of the window. Default 1.'),
  padding: padding.optional().describe("'same' or 'valid'. Default 'valid'."),
  dilation: size2.optional().describe('Spacing of the window taps (atrous). Default 1.'),
  bias: z.boolean().optional().describe('Add a learned bias per output channel. Default true.'),
  activation: fused.optional(),
};

const poolOptions = z.strictObject({
  size: size2.describe('Window size, e.g. 2.'),
  stride: size2.optional().describe('Step of the window. Default: the window size.'),
  padding: padding.optional().describe("'same' or 'valid'. Default 'valid'."),
});

/** Each kind of layer the spec names, with its options (the keys of {@link LayerSpec}). */
export const layerKinds = {
  conv2d: z
    .strictObject({
      filters: positiveInt.describe('Output channels (number of filters).'),
      ...convFields,
    })
    .describe('Conv2D: a 2-D convolution over [height, width, channels] images.'),
  depthwiseConv2d: z
    .strictObject({
      multiplier: positiveInt.optional().describe('Filters per input channel. Default 1.'),
      ...convFields,
    })
    .describe('DepthwiseConv2D: one filter (or `multiplier` filters) per input channel.'),
  separableConv2d: z
    .strictObject({
      filters: positiveInt.describe('Output channels of the pointwise 1x1 step.'),
      multiplier: positiveInt
        .optional()
        .describe('Depthwise filters per input channel. Default 1.'),
      ...convFields,
    })
    .describe('SeparableConv2D: depthwise convolution then a pointwise 1x1 convolution.'),
  dense: z
    .union([
      positiveInt,
      z.literal('classes'),
      z.strictObject({
        units: z
          .union([positiveInt, z.literal('classes')])
          .describe("Output features; 'classes' takes the number of classes of the data."),
        activation: fused.optional(),
        bias: z.boolean().optional().describe('Add a learned bias. Default true.'),
      }),
    ])
    .describe(
      "Linear (dense) layer on a flat input: y = x W + b. A number (or 'classes') is its units.",
    ),
  maxPool: z
    .union([size2, poolOptions])
    .describe('MaxPool2D: the largest value of each window. A number is the window size.'),
  avgPool: z
    .union([size2, poolOptions])
    .describe('AvgPool2D: the mean of each window. A number is the window size.'),
  globalAvgPool: z
    .strictObject({})
    .describe('GlobalAvgPool: one mean per channel, [h, w, c] -> [c].'),
  batchNorm: z
    .strictObject({
      momentum: z
        .number()
        .gt(0)
        .max(1)
        .optional()
        .describe('Weight of the new batch in the running statistics (PyTorch). Default 0.1.'),
      epsilon: z.number().positive().optional().describe('Added to the variance. Default 1e-5.'),
    })
    .describe('BatchNorm over the last axis (channels): normalise, then scale and shift.'),
  dropout: z
    .union([
      z.number().min(0).lt(1),
      z.strictObject({
        rate: z.number().min(0).lt(1).describe('Probability of zeroing each element, in [0, 1).'),
      }),
    ])
    .describe(
      'Dropout: zero each element with probability rate while training. A number is the rate.',
    ),
  activation: z
    .enum(['relu', 'sigmoid', 'tanh', 'softmax', 'elu', 'lecunTanh'])
    .describe(
      "An activation layer: relu, sigmoid, tanh, softmax, elu or lecunTanh (LeNet's 1.7159 tanh(2a/3)).",
    ),
  flatten: z.strictObject({}).describe('Flatten: [h, w, c] -> [h * w * c], before dense layers.'),
  basicBlock: z
    .union([
      positiveInt,
      z.strictObject({
        filters: positiveInt.describe('Output channels of both 3x3 convolutions.'),
        stride: positiveInt.optional().describe('Stride of the first convolution. Default 1.'),
      }),
    ])
    .describe(
      "ResNet's basic residual block: two 3x3 convolutions with batch norm and a shortcut. A number is its filters.",
    ),
  inception: z
    .strictObject({
      conv1x1: positiveInt.describe('Filters of the 1x1 branch.'),
      reduce3x3: positiveInt.optional().describe('1x1 filters before the 3x3 convolution.'),
      conv3x3: positiveInt.describe('Filters of the 3x3 convolution.'),
      reduce5x5: positiveInt.optional().describe('1x1 filters before the 5x5 convolution.'),
      conv5x5: positiveInt.describe('Filters of the 5x5 convolution.'),
      poolProjection: positiveInt.optional().describe('1x1 filters after the 3x3 max pool.'),
      bias: z.boolean().optional().describe('Add a bias to every convolution. Default true.'),
    })
    .describe("GoogLeNet's inception module: 1x1, 3x3, 5x5 and pool branches, concatenated."),
  subsampling: z
    .union([
      positiveInt,
      z.strictObject({ size: positiveInt.describe('Side of the window. Default 2.') }),
    ])
    .describe(
      "LeNet-5's trainable subsampling: window sum times a coefficient plus a bias, per map.",
    ),
  partialConv2d: z
    .strictObject({
      table: z
        .array(z.array(z.number().int().nonnegative()).min(1))
        .min(1)
        .describe('Entry o lists the input channels output channel o reads (LeNet-5 C3).'),
      kernel: size2.describe('Window size, e.g. 5.'),
      stride: size2.optional().describe('Step of the window. Default 1.'),
      padding: padding.optional().describe("'same' or 'valid'. Default 'valid'."),
      bias: z.boolean().optional().describe('Add a learned bias per output channel. Default true.'),
    })
    .describe('PartialConv2D: a convolution whose outputs read only the inputs their table lists.'),
} as const;

/** The name of a layer kind: 'conv2d', 'maxPool', 'dense', ... */
export type LayerKind = keyof typeof layerKinds;

/** The kinds of layers in {@link layerKinds}, in the order the docs list them. */
export const layerKindNames = Object.keys(layerKinds) as LayerKind[];

/**
 * Validates one entry of a layer list: a one-key object naming the layer, or null for no
 * layer (a sweep can switch a layer off by setting its entry to null).
 * `layerSpecSchema.parse({ maxPool: 2 })` passes; `{ maxPool: 2, dropout: 0.5 }` does not.
 */
export const layerSpecSchema = z
  .union([
    ...layerKindNames.map((kind) => z.strictObject({ [kind]: layerKinds[kind] })),
    z.null(),
  ] as unknown as [z.ZodType<LayerSpec>, ...z.ZodType<LayerSpec>[]])
  .describe(
    'One layer: an object with one key naming the layer kind, e.g. { conv2d: { filters: 16, kernel: 3 } } or { maxPool: 2 }; null for none.',
  );

/** One entry of a layer list: `{ <kind>: options }` (see {@link layerKinds}), or null for none. */
export type LayerSpec =
  | {
      [K in LayerKind]: { [P in K]: z.input<(typeof layerKinds)[K]> };
    }[LayerKind]
  | null;

/**
 * Validates a layer list: the layers in order; shapes are inferred from the data.
 * `layerListSchema.parse([{ flatten: {} }, { dense: 'classes' }])` passes.
 */
export const layerListSchema = z
  .array(layerSpecSchema)
  .min(1)
  .describe(
    "The network as a list of layers, applied in order; each layer's input size comes from the one before it.",
  );

/**
 * Validates a zoo model's name, from the zoo itself ({@link zooNames}).
 * `zooNameSchema.parse('cnn4')` passes; 'cnn5' fails listing the names.
 */
export const zooNameSchema = z
  .enum(zooNames)
  .describe('A ready model of @tunelab/layers (tunelab summary lists them).');
