import type { KernelConfig } from '@tensorflow/tfjs-core';
import * as tf from '@tensorflow/tfjs-core';
import { registerTensorReader } from '../ops/tensor-values.js';
import { addBiasOverride } from './add-bias.js';
import { batchMatMulOverride, fusedMatMulOverride } from './batch-mat-mul.js';
import { batchNormGradConfig, batchNormTrainConfig } from './batch-norm.js';
import { bytesToFloatConfig } from './bytes-to-float.js';
import { conv2dOverride, fusedConv2dOverride } from './conv2d.js';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input.js';
import { countCorrectConfig } from './count-correct.js';
import { denseStepConfig } from './dense-step.js';
import { depthwiseBackpropFilterConfig } from './depthwise-backprop-filter.js';
import { depthwiseBackpropInputConfig } from './depthwise-backprop-input.js';
import { identityOverride, sameTypeCastOverride } from './identity.js';
import { maxPoolGradConfig } from './max-pool-grad.js';
import { type KernelOverride, overrideConfig } from './override.js';
import { meanOverride, sumOverride } from './reduce-over-axes.js';
import { reluGradConfig } from './relu-grad.js';
import { sgdUpdateConfig } from './sgd-update.js';
import { softmaxCrossEntropyConfig } from './softmax-cross-entropy.js';
import { tileRowsOverride } from './tile.js';
import { wasmTensorValues } from './wasm-backend.js';

/**
 * Kernels this folder provides for the wasm backend: the three tfjs-backend-wasm 4.22 lacks
 * (the filter gradient of Conv2D and both gradients of DepthwiseConv2dNative), and two it has
 * whose plain loops dominated a training step (Conv2DBackpropInput, MaxPoolGrad), and our
 * one-pass relu gradient (TunelabReluGrad), softmax cross-entropy (TunelabSoftmaxCrossEntropy)
 * uint8-to-float conversion of batches (TunelabBytesToFloat), the accuracy count
 * (TunelabCountCorrect), the whole training step of a chain of dense layers (TunelabDenseStep)
 * the SGD update of many parameters at once (TunelabSgdUpdate) and batch norm's training
 * passes (TunelabBatchNormTrain, TunelabBatchNormGrad).
 */
export const wasmTrainingKernels: readonly KernelConfig[] = [
  conv2dBackpropFilterConfig,
  depthwiseBackpropFilterConfig,
  depthwiseBackpropInputConfig,
  conv2dBackpropInputConfig,
  maxPoolGradConfig,
  reluGradConfig,
  softmaxCrossEntropyConfig,
  bytesToFloatConfig,
  countCorrectConfig,
  denseStepConfig,
  sgdUpdateConfig,
  batchNormTrainConfig,
  batchNormGradConfig,
];

/**
 * Faster paths for some cases of tfjs-backend-wasm kernels, handing it every other case: no
 * copies for Identity and same-type Cast, one SIMD pass for bias addition and for sums and means
 * over non-innermost axes, block copies for tiling a vector into rows, XNNPACK's path for
 * products with a transposed operand, SIMD loops for products with at most 16 output columns,
 * convolutions (Conv2D, FusedConv2D with relu or none) as im2col chunks times our SIMD product.
 */
export const wasmKernelOverrides: readonly KernelOverride[] = [
  identityOverride,
  sameTypeCastOverride,
  addBiasOverride,
  sumOverride,
  meanOverride,
  tileRowsOverride,
  batchMatMulOverride,
  fusedMatMulOverride,
  conv2dOverride,
  fusedConv2dOverride,
];

const ours = new Set<KernelConfig>();

/**
 * Registers the training kernels for the wasm backend, replacing any registered under the same
 * names, and the wasm heap as the backend's tensor reader (reads without copies). Idempotent.
 * Call it after importing '@tensorflow/tfjs-backend-wasm' (whose import registers the kernels
 * being replaced), e.g. right after `tf.setBackend('wasm')`.
 */
export function registerWasmTrainingKernels(): void {
  registerTensorReader('wasm', wasmTensorValues);
  for (const config of wasmTrainingKernels) replace(config);
  for (const override of wasmKernelOverrides) {
    const current = tf.getKernel(override.kernelName, 'wasm');
    if (current === undefined || ours.has(current)) continue;
    replace(overrideConfig(override, current));
  }
}

function replace(config: KernelConfig): void {
  const current = tf.getKernel(config.kernelName, 'wasm');
  if (current === config) return;
  if (current !== undefined) tf.unregisterKernel(config.kernelName, 'wasm');
  tf.registerKernel(config);
  ours.add(config);
}
