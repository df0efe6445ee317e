/**
 * @tunelab/layers: layers, initialisers and ready models built on @tunelab/core's Module.
 * @packageDocumentation
 */

// Weights live in @tunelab/core (checkpoints need them too); re-exported here for discoverability.
export { decodeSafetensors, encodeSafetensors, loadWeights, saveWeights } from '@tunelab/core';
export {
  constant,
  type Fans,
  fansOf,
  glorotNormal,
  glorotUniform,
  heNormal,
  heUniform,
  type Initializer,
  zeros,
} from './init/initializers.js';
export {
  type ActivationName,
  activation,
  ELU,
  ReLU,
  Sigmoid,
  Softmax,
  Tanh,
} from './layers/activations.js';
export { Flatten } from './layers/flatten.js';
export { Linear, type LinearArgs } from './layers/linear.js';
export { Sequential } from './layers/sequential.js';
export { type MlpArgs, mlp } from './models/mlp.js';
