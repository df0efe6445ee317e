import { type Module, Rng } from '@tunelab/core';
import type { ExportRef } from '@tunelab/core/node';
import {
  buildLayerList,
  buildZooModel,
  freezeFirst,
  mlp,
  summarize,
  type ZooName,
  zoo,
} from '@tunelab/layers';
import { ExperimentError } from '../errors.js';
import type { JsonModelConfig, ModelBuilder, ModelConfig } from '../schema/model.js';
import { applyInit, type RunArtifactReader } from './transfer.js';

/** The data a model is built for: one example's shape and the number of classes. */
export interface ModelTarget {
  /** Shape of one input example after preprocessing, e.g. [28, 28, 1]. */
  readonly inputShape: readonly number[];
  /** Number of classes (the output size). */
  readonly classes: number;
}

/** Where the parts of a model that live outside the experiment come from (Node: files). */
export interface ModelSources {
  /** Imports a builder function a `{ file, export }` model names (Node reads .ts files with jiti). */
  importBuilder?(file: string, exportPath: string): Promise<ModelBuilder>;
  /** Reads an artifact of a previous run, for `model.init.from`. */
  readRunArtifact?: RunArtifactReader;
}

/**
 * Builds the experiment's model for `target`: the zoo model, the layer list or the builder
 * function, with initial weights from `rng`; then loads `init.from`'s weights into its first
 * layers (freezing them if asked) and freezes the first `freeze` layers. Errors that are the
 * experiment's (a layer that does not fit, a zoo model too big for the data, a missing
 * builder) are {@link ExperimentError}s naming the field.
 */
export async function buildModel(
  config: ModelConfig,
  target: ModelTarget,
  rng: Rng,
  sources: ModelSources = {},
): Promise<Module> {
  const model = await constructModel(config, target, rng, sources);
  try {
    if (config.init) await applyInit(model, config.init, sources.readRunArtifact);
    if (config.freeze) {
      try {
        freezeFirst(model, config.freeze);
      } catch (error) {
        throw new ExperimentError(`model.freeze: ${(error as Error).message}`);
      }
    }
  } catch (error) {
    model.dispose();
    throw error;
  }
  return model;
}

/**
 * The model as the experiment describes it, before `init` and `freeze`: what replica threads
 * rebuild (their weights come from the training thread). `init: 'zeros'` skips the random
 * draws where the model allows it.
 */
export async function constructModel(
  config: ModelConfig,
  target: ModelTarget,
  seed: Rng | number,
  sources: ModelSources = {},
  options: { init?: 'random' | 'zeros' } = {},
): Promise<Module> {
  const inputShape = [...target.inputShape];
  const { classes } = target;
  if ('layers' in config) {
    try {
      return buildLayerList(config.layers, {
        inputShape,
        classes,
        seed,
        path: 'model.layers',
        ...(options.init ? { init: options.init } : {}),
      });
    } catch (error) {
      throw new ExperimentError((error as Error).message);
    }
  }
  if ('name' in config) return zooModel(config, inputShape, classes, seed, options.init);
  let build: ModelBuilder;
  let where: string;
  if ('build' in config) {
    build = config.build;
    where = 'model';
  } else {
    if (!sources.importBuilder)
      throw new ExperimentError(
        `model.file ${config.file}: a model built by a file needs Node.js (use a layer list in the browser)`,
      );
    build = await sources.importBuilder(config.file, config.export);
    where = `model (${config.file} export ${config.export})`;
  }
  const rng = typeof seed === 'number' ? Rng.fromSeed(seed) : seed;
  const model = build({ inputShape, classes, rng });
  if (!model || typeof (model as Module).forward !== 'function')
    throw new ExperimentError(`${where}: the builder must return a Module, got ${String(model)}`);
  return model;
}

/** A zoo model; a data shape it cannot take is an error naming data.resize (and data.pad). */
function zooModel(
  config: Extract<JsonModelConfig, { name: string }>,
  inputShape: number[],
  classes: number,
  seed: Rng | number,
  init: 'random' | 'zeros' | undefined,
): Module {
  const args = { inputShape, classes, seed, ...(init ? { init } : {}) };
  try {
    const model =
      config.name === 'mlp' && (config.hidden || config.activation)
        ? mlp({ ...args, hidden: config.hidden ?? [128], activation: config.activation ?? 'relu' })
        : buildZooModel(config.name, args);
    // Some models build for any size and only fail when shapes meet: check now, not mid-epoch.
    summarize(model, inputShape);
    return model;
  } catch (error) {
    throw new ExperimentError(sizeHint(config.name, inputShape, (error as Error).message));
  }
}

/** "model lenet5 is built for 32x32x1 inputs ...: add data.resize: [32, 32]" when sizes differ. */
function sizeHint(name: ZooName, shape: readonly number[], reason: string): string {
  const expected = zoo[name].inputShape;
  const [h, w] = shape;
  const [eh, ew] = expected;
  const base = `model ${name}: ${reason}`;
  if (shape.length !== 3 || expected.length !== 3 || (h === eh && w === ew)) return base;
  const pad =
    eh! > h! && (eh! - h!) % 2 === 0 && eh! - h! === ew! - w!
      ? `data.pad: ${(eh! - h!) / 2} (zero borders, as LeCun et al. 1998 pad 28x28 digits for LeNet-5) or `
      : '';
  return (
    `model ${name} is built for ${expected.join('x')} inputs and cannot take the data's ${shape.join('x')} (${reason}): ` +
    `add ${pad}data.resize: [${eh}, ${ew}] to the experiment`
  );
}

/**
 * How a replica thread builds the same model (see startModelReplicas): an export of
 * `@tunelab/experiment/node` called with the JSON model section, so zoo models, layer lists and
 * builder files all rebuild there; null for a builder function held only in memory (it has no
 * file to import in another thread). `alias` is passed on to the import of builder files.
 */
export function modelRef(
  config: ModelConfig,
  target: ModelTarget,
  alias: Readonly<Record<string, string>> = {},
): ExportRef | null {
  if ('build' in config) return null;
  const { init: _init, freeze: _freeze, ...shape } = config;
  return {
    module: '@tunelab/experiment/node',
    export: 'buildReplicaModel',
    args: [shape, [...target.inputShape], target.classes, alias],
  };
}
