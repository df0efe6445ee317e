import { z } from 'zod';

/**
 * The artifacts a run directory holds under artifacts/, by role. Every run (CLI or browser)
 * writes `modelSummary`, `confusionValidation`, `learningCurve` (with an epoch done), `model`
 * and `checkpoint`; the CLI adds the PNG twins of the SVG curves.
 */
export const ARTIFACT_FILES = {
  /** Per-layer shapes, parameters, MACs ({@link ModelSummary}). */
  modelSummary: 'model-summary.json',
  /** Confusion matrix of the final model on the validation split ({@link ConfusionArtifact}). */
  confusionValidation: 'confusion-validation.json',
  /** Confusion matrix on the test split, written by `tunelab eval --split test`. */
  confusionTest: 'confusion-test.json',
  /** Learning curves per epoch (SVG). */
  learningCurve: 'learning-curve.svg',
  /** Learning curves against training samples (SVG), with periodic evaluation. */
  learningCurveSamples: 'learning-curve-samples.svg',
  /** Weights at the end of training (safetensors). */
  model: 'model.safetensors',
  /** Weights and optimizer state after the last finished epoch: the resume point. */
  checkpoint: 'checkpoint.safetensors',
  /** Weights of the best epoch (callbacks.checkpointBest). */
  best: 'best.safetensors',
} as const;

/** Validates one row of model-summary.json ({@link LayerSummary}). */
export const layerSummarySchema = z.object({
  /** Dotted path in the model ('layer1.0.conv1'), as in the parameter names. */
  name: z.string(),
  /** Layer kind ('Conv2D', 'Add+ReLU', ...). */
  type: z.string(),
  /** Output shape per example (no batch axis). */
  outputShape: z.array(z.number().int()),
  /** Output elements per example. */
  activations: z.number().int().nonnegative(),
  /** Parameters owned by this layer. */
  params: z.number().int().nonnegative(),
  /** Parameters the optimizer updates. */
  trainableParams: z.number().int().nonnegative(),
  /** Parameters held fixed (frozen). */
  frozenParams: z.number().int().nonnegative(),
  /** Multiply-accumulates per example. */
  macs: z.number().nonnegative(),
  /** Connections per example, as LeNet counts them. */
  connections: z.number().nonnegative(),
  /** [height, width] in input pixels seen by one output unit; null when it sees the whole input. */
  receptiveField: z.tuple([z.number().int(), z.number().int()]).nullable(),
});
/** One row of a {@link ModelSummary}: a layer, or a parameter-free step of a container. */
export type LayerSummary = z.infer<typeof layerSummarySchema>;

/**
 * Validates model-summary.json, what @tunelab/layers' `summarize` returns.
 * `modelSummarySchema.parse(summarize(model, [28, 28, 1])).totals.params` is the model's count.
 */
export const modelSummarySchema = z.object({
  /** Type of the root module ('Sequential', ...). */
  model: z.string(),
  /** Input shape per example. */
  inputShape: z.array(z.number().int()),
  /** Output shape per example. */
  outputShape: z.array(z.number().int()),
  /** One row per layer, in the order the model applies them. */
  layers: z.array(layerSummarySchema),
  /** Sums over all layers. */
  totals: z.object({
    /** All parameters: trainableParams + frozenParams. */
    params: z.number().int().nonnegative(),
    /** Parameters the optimizer updates. */
    trainableParams: z.number().int().nonnegative(),
    /** Parameters held fixed (frozen). */
    frozenParams: z.number().int().nonnegative(),
    /** Multiply-accumulates per example. */
    macs: z.number().nonnegative(),
    /** Connections per example, as LeNet counts them. */
    connections: z.number().nonnegative(),
    /** Sum of the layers' output elements per example. */
    activations: z.number().nonnegative(),
  }),
});
/** Per-layer and total counts of a model for one input shape (model-summary.json). */
export type ModelSummary = z.infer<typeof modelSummarySchema>;

/**
 * Validates confusion-validation.json and confusion-test.json ({@link ConfusionArtifact}).
 * `confusionArtifactSchema.parse(json).matrix[3][6]`: examples of class 3 predicted as 6.
 */
export const confusionArtifactSchema = z.object({
  /** The split the matrix counts: 'validation' or 'test'. */
  split: z.enum(['validation', 'test']),
  /** Which weights: 'final' or 'best' (test evaluations only). */
  weights: z.enum(['final', 'best']).optional(),
  /** Class names, in label order. */
  classes: z.array(z.string()),
  /** matrix[i][j]: examples of true class i predicted as class j. */
  matrix: z.array(z.array(z.number().int().nonnegative())),
});
/** A confusion matrix artifact: its split, class names and counts. */
export type ConfusionArtifact = z.infer<typeof confusionArtifactSchema>;

/** Schemas of the JSON artifacts, by file name, for checking a run directory. */
export const artifactSchemas: Readonly<Record<string, z.ZodType>> = {
  [ARTIFACT_FILES.modelSummary]: modelSummarySchema,
  [ARTIFACT_FILES.confusionValidation]: confusionArtifactSchema,
  [ARTIFACT_FILES.confusionTest]: confusionArtifactSchema,
};
