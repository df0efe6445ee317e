import {
  ARTIFACT_FILES,
  type ConfusionArtifact,
  confusionOf,
  type Dataset,
  type MetricEntry,
  type Module,
  type RunSink,
  saveWeights,
} from '@tunelab/core';
import { summarize } from '@tunelab/layers';
import { learningCurveSpec, renderSvg } from '@tunelab/reports';

/** What {@link writeRunArtifacts} needs besides the model. */
export interface RunArtifactsInput {
  /** The run's metrics lines (for the learning curves). */
  metrics: readonly MetricEntry[];
  /** Chart title, e.g. 'quickstart (20261123-141502-quickstart-3fa2)'. */
  title: string;
  /** The validation split (for the confusion matrix). */
  validation: Dataset;
  /** Shape of one input example (for the model summary). */
  inputShape: readonly number[];
  /** Class names by label. */
  classes: readonly string[];
  /** The epoch the weights are from (recorded in the weights' metadata). */
  epoch: number;
  /** Rasterises an SVG to PNG (Node only); without it the PNG twins of the curves are left out. */
  svgToPng?: ((svg: string) => Uint8Array) | undefined;
  /**
   * Write the weights (and the confusion matrix computed with them). Default true; false when
   * no weights describe the record (the loss diverged before any epoch finished).
   */
  withWeights?: boolean | undefined;
}

/**
 * Writes what a run leaves besides its metrics, through the run's sink (a directory or
 * memory alike): the learning curves (SVG, and PNG where `svgToPng` is given), the validation
 * confusion matrix, the model summary and the final weights (unless `withWeights` is false).
 * Returns where each went.
 */
export async function writeRunArtifacts(
  sink: RunSink,
  model: Module,
  input: RunArtifactsInput,
): Promise<string[]> {
  const written: string[] = [];
  const curve = async (name: string, description: string, x?: 'samples') => {
    const svg = await renderSvg(
      learningCurveSpec(input.metrics, { title: input.title, ...(x ? { x } : {}) }),
    );
    written.push(sink.writeArtifact(`${name}.svg`, svg, 'image/svg+xml', description));
    if (input.svgToPng)
      written.push(
        sink.writeArtifact(`${name}.png`, input.svgToPng(svg), 'image/png', description),
      );
  };
  if (input.metrics.some((m) => m.kind === 'epoch')) {
    await curve('learning-curve', 'train vs validation loss and accuracy per epoch');
    if (input.metrics.some((m) => m.kind === 'evaluation' && m.split === 'periodic'))
      await curve(
        'learning-curve-samples',
        'train subset vs validation against training samples',
        'samples',
      );
  }
  const withWeights = input.withWeights ?? true;
  if (withWeights && input.validation.size > 0) {
    const matrix = await confusionOf(model, input.validation);
    const confusion: ConfusionArtifact = {
      split: 'validation',
      classes: [...input.classes],
      matrix,
    };
    written.push(
      sink.writeArtifact(
        ARTIFACT_FILES.confusionValidation,
        `${JSON.stringify(confusion)}\n`,
        'application/json',
        'confusion matrix of the final model on the validation split (rows: true class)',
      ),
    );
  }
  try {
    const summary = summarize(model, [...input.inputShape]);
    written.push(
      sink.writeArtifact(
        ARTIFACT_FILES.modelSummary,
        `${JSON.stringify(summary, null, 2)}\n`,
        'application/json',
        'per-layer shapes, parameters, MACs, connections, receptive fields',
      ),
    );
  } catch {
    // A model the summary cannot describe (a custom layer without describe()) still trained.
  }
  if (!withWeights) return written;
  const weights = await saveWeights(model, {
    run: sink.record.id,
    epoch: String(input.epoch),
  });
  written.push(
    sink.writeArtifact(
      ARTIFACT_FILES.model,
      weights,
      'application/safetensors',
      'weights at the end of training (the best epoch when early stopping restored it)',
    ),
  );
  return written;
}
