import type { Module } from '@tunelab/core';
import { constructModel } from '../build/model.js';
import { type JsonModelConfig, modelSchema } from '../schema/model.js';
import { nodeModelSources } from './sources.js';

/**
 * Builds the model of a JSON model section in a replica thread (the export modelRef points
 * at): a zoo model, a layer list or a builder file, without `init` and `freeze` (the
 * training thread sends its weights and frozen flags before every step).
 */
export async function buildReplicaModel(
  config: JsonModelConfig,
  inputShape: number[],
  classes: number,
  alias: Readonly<Record<string, string>> = {},
): Promise<Module> {
  return constructModel(
    modelSchema.parse(config),
    { inputShape, classes },
    0,
    nodeModelSources(alias),
    { init: 'zeros' },
  );
}
