import { openDataset } from '@tunelab/datasets/node';
import type { ExperimentData } from '../data/prepare.js';
import type { Experiment } from '../schema/experiment.js';

/**
 * Reads the dataset an experiment names from disk: a known dataset (found in data.path, the
 * cache or a system copy), a folder or a CSV file (with data.label). A folder missing some
 * official files is an error naming them unless data.allowPartial.
 */
export function openExperimentData(experiment: Experiment): ExperimentData {
  const { data } = experiment;
  return openDataset(data.dataset, {
    ...(data.path ? { path: data.path } : {}),
    ...(data.label ? { label: data.label } : {}),
    ...(data.allowPartial ? { allowPartial: true } : {}),
  });
}
