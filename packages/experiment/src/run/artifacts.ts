import { confusionOf, type Dataset, type Module, saveWeights } from '@tunelab/core';
import { type RunWriter, readRun } from '@tunelab/core/node';
import { summarize } from '@tunelab/layers';
import { learningCurveSpec, renderSvg } from '@tunelab/reports';
import { svgToPng } from '@tunelab/reports/node';

/** Writes what a run leaves besides its metrics: curves, confusion matrix, model summary, weights. */
export async function writeRunArtifacts(
  writer: RunWriter,
  model: Module,
  options: {
    validation: Dataset;
    inputShape: readonly number[];
    classes: readonly string[];
    epoch: number;
  },
): Promise<string[]> {
  const written: string[] = [];
  const run = readRun(writer.dir);
  const epochs = run.metrics.filter((m) => m.kind === 'epoch');
  if (epochs.length > 0) {
    const title = `${run.record.name} (${run.record.id})`;
    const svg = await renderSvg(learningCurveSpec(run.metrics, { title }));
    written.push(
      writer.writeArtifact(
        'learning-curve.svg',
        svg,
        'image/svg+xml',
        'train vs validation loss and accuracy per epoch',
      ),
    );
    written.push(
      writer.writeArtifact(
        'learning-curve.png',
        svgToPng(svg),
        'image/png',
        'train vs validation loss and accuracy per epoch',
      ),
    );
    if (run.metrics.some((m) => m.kind === 'evaluation' && m.split === 'periodic')) {
      const bySamples = await renderSvg(learningCurveSpec(run.metrics, { title, x: 'samples' }));
      written.push(
        writer.writeArtifact(
          'learning-curve-samples.svg',
          bySamples,
          'image/svg+xml',
          'train subset vs validation against training samples',
        ),
      );
      written.push(
        writer.writeArtifact(
          'learning-curve-samples.png',
          svgToPng(bySamples),
          'image/png',
          'train subset vs validation against training samples',
        ),
      );
    }
  }
  if (options.validation.size > 0) {
    const matrix = await confusionOf(model, options.validation);
    const json = `${JSON.stringify({ split: 'validation', classes: options.classes, matrix })}\n`;
    written.push(
      writer.writeArtifact(
        'confusion-validation.json',
        json,
        'application/json',
        'confusion matrix of the final model on the validation split (rows: true class)',
      ),
    );
  }
  try {
    const summary = summarize(model, [...options.inputShape]);
    written.push(
      writer.writeArtifact(
        'model-summary.json',
        `${JSON.stringify(summary, null, 2)}\n`,
        'application/json',
        'per-layer shapes, parameters, MACs, connections, receptive fields',
      ),
    );
  } catch {
    // A model the summary cannot describe is still a trained model.
  }
  const weights = await saveWeights(model, { run: writer.id, epoch: String(options.epoch) });
  written.push(
    writer.writeArtifact(
      'model.safetensors',
      weights,
      'application/safetensors',
      'weights at the end of training (the best epoch when early stopping restored it)',
    ),
  );
  return written;
}
