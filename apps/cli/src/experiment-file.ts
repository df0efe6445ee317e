import { type LoadedExperiment, loadExperiment } from '@tunelab/experiment/node';
import { lendModules } from './lent/modules.js';

/**
 * Loads an experiment file as `tunelab train` does: the file's imports of 'tunelab',
 * '@tunelab/*' and '@tensorflow/tfjs-core' get the CLI's own copies (see lent/names.ts), so a
 * file anywhere on disk loads without tunelab installed next to it.
 */
export async function loadExperimentFile(path: string): Promise<LoadedExperiment> {
  return loadExperiment(path, { alias: await lendModules() });
}
