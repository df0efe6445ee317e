/**
 * A problem with the experiment itself (a field, a file it names, a model that does not fit
 * the data), as opposed to a failure while training: the CLI exits with code 2 for these.
 * `new ExperimentError('model.layers[3] maxPool 2: input 1x1x32 is smaller than the 2x2 window')`.
 */
export class ExperimentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExperimentError';
  }
}
