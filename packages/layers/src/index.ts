/**
 * @tunelab/layers: layers, initialisers, ready models, model summaries and freezing helpers
 * built on @tunelab/core's Module.
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
  checkFusedActivation,
  ELU,
  type FusedActivation,
  LeCunTanh,
  ReLU,
  Sigmoid,
  Softmax,
  Tanh,
} from './layers/activations.js';
export { BasicBlock, type BasicBlockArgs } from './layers/basic-block.js';
export { BatchNorm, type BatchNormArgs } from './layers/batch-norm.js';
export { Conv2D, type Conv2DArgs } from './layers/conv2d.js';
export { DepthwiseConv2D, type DepthwiseConv2DArgs } from './layers/depthwise-conv2d.js';
export { Dropout, type DropoutArgs } from './layers/dropout.js';
export { Flatten } from './layers/flatten.js';
export { Inception, type InceptionArgs } from './layers/inception.js';
export { Linear, type LinearArgs } from './layers/linear.js';
export { PartialConv2D, type PartialConv2DArgs } from './layers/partial-conv2d.js';
export { Pointwise } from './layers/pointwise.js';
export {
  AvgPool2D,
  GlobalAvgPool,
  MaxPool2D,
  type Pool2DArgs,
} from './layers/pooling.js';
export { SeparableConv2D, type SeparableConv2DArgs } from './layers/separable-conv2d.js';
export { Sequential } from './layers/sequential.js';
export type { Padding, Size2 } from './layers/spatial.js';
export { Subsampling, type SubsamplingArgs } from './layers/subsampling.js';
export type { ModelArgs } from './models/args.js';
export { LENET5_C3_TABLE, lenet5 } from './models/lenet5.js';
export { type MlpArgs, mlp } from './models/mlp.js';
export { resnet18 } from './models/resnet.js';
export { type VggArgs, type VggDepth, vgg, vgg11, vgg16, vgg19 } from './models/vgg.js';
export {
  basecnn,
  cnn4,
  linearWorkload,
  m2cnn,
  mlp2Workload,
  sepcnn5,
} from './models/workloads.js';
export {
  buildZooModel,
  isZooName,
  type ZooEntry,
  type ZooName,
  zoo,
  zooNames,
} from './models/zoo.js';
export { buildLayerList, type LayerListOptions } from './spec/build.js';
export { describeLayerSpec, layerKindOf } from './spec/describe.js';
// The layer-list schema (zod) is the './spec' subpath: importing layers does not load zod.
export type { LayerKind, LayerSpec } from './spec/schema.js';
export {
  advance,
  type Composite,
  concatTraces,
  type Describable,
  inputTrace,
  isComposite,
  isDescribable,
  type LayerDescription,
  mergeTraces,
  type Shape,
  type SummaryVisitor,
  type Trace,
  type Window,
} from './summary/describe.js';
export { formatSummary, groupDigits, siUnits } from './summary/format.js';
export {
  type LayerSummary,
  type ModelSummary,
  outputShapeOf,
  summarize,
} from './summary/summarize.js';
export { freezeFirst, parameterLayers } from './transfer/freeze.js';
export { WithHead, type WithHeadOptions, withHead } from './transfer/with-head.js';
