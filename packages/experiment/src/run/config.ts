import type { Experiment } from '../schema/experiment.js';

/**
 * The config recorded in run.json: the experiment as run, JSON-safe (a model function held
 * only in memory is recorded by name: such a run cannot be resumed or evaluated later), with
 * the experiment file.
 */
export function runConfig(
  experiment: Experiment,
  file: string | undefined,
): Record<string, unknown> {
  const { $schema: _schema, ...rest } = experiment;
  const model =
    'build' in rest.model
      ? { ...rest.model, build: undefined, file: '(a function in memory)', export: 'model' }
      : rest.model;
  return JSON.parse(
    JSON.stringify({ ...rest, model, ...(file !== undefined ? { file } : {}) }),
  ) as Record<string, unknown>;
}

/** 'cnn4', 'a list of 6 layers', 'my-model.ts export default'. */
export function describeModel(model: Experiment['model']): string {
  if ('name' in model) return model.name;
  if ('layers' in model) return `a list of ${model.layers.filter((l) => l !== null).length} layers`;
  if ('file' in model) return `${model.file} export ${model.export}`;
  return 'a builder function';
}
